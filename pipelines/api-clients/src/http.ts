// Minimal transport the generated clients call; swap it for your own.
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Transport {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

export function fetchTransport(baseURL: string, headers: Record<string, string> = {}): Transport {
  return {
    async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
      const response = await fetch(baseURL + path, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      return (await response.json()) as T;
    },
  };
}
