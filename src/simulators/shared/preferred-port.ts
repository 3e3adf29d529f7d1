/**
 * Starts an in-process simulator on a well-known port so that the README's curl examples can reach its virtual phone,
 * falling back to any free port when that one is taken. Tests (NODE_ENV=test) always take a free port.
 */
export async function startOnPreferredPort<T>(
  start: (port: number) => Promise<T>,
  envName: string,
  fallback: number,
): Promise<T> {
  if (process.env.NODE_ENV === 'test') return start(0);
  const preferred = Number(process.env[envName] ?? fallback);
  try {
    return await start(preferred);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}
