// @acme/api-clients: one client per service.
import type { Transport } from "./http";
export { fetchTransport } from "./http";
export type * from "./types";

// <exports>
// </exports>

export function createClients(transport: Transport) {
  return {
    // <registry>
    // </registry>
  };
}
