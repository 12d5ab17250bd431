/** Fetches JSON, retrying after a delay when the call fails. */
export async function fetchWithRetry(url: string, retryMs: number): Promise<unknown> {
  try {
    const response = await fetch(url);
    return await response.json();
  } catch {
    return new Promise((resolve) => setTimeout(() => resolve(fetchWithRetry(url, retryMs)), retryMs));
  }
}
