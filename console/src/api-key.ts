/**
 * The API key lives in this tab's sessionStorage only: asked for once, gone when the tab closes, never put in a URL,
 * in localStorage or on the console (the field has no name, so even a form sent without script carries no key).
 */
const STORAGE_KEY = 'mnis-console-api-key';

export function storedKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) || undefined;
}

export function keepKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
