/**
 * mongo-java-server 1.47.0 can fail an operation that runs while an index is being created on the same collection
 * (an exception inside the engine that reaches the client as "Unknown error: null"). Three gateways starting at once on
 * a fresh database hit it: one builds an index while another already writes. The operation did not happen, so it is
 * safe to run again; no other error is retried.
 */
export function isEngineIndexRace(error: unknown): boolean {
  return error instanceof Error && /^Unknown error: null$/.test(error.message);
}

export async function retryEngineRace<T>(operation: () => Promise<T>, attempts = 5, pauseMs = 50): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isEngineIndexRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
}
