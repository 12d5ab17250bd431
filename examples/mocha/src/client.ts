const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET with retries: waits `delayMs` between attempts, gives up after `retries`. */
export async function fetchWithRetry(url: string, { retries = 3, delayMs = 100 } = {}): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
      throw new Error(`${url} answered ${response.status}`);
    } catch (error) {
      if (attempt >= retries) throw error;
      await delay(delayMs);
    }
  }
}
