// Shapes the Acme API exchanges (written by hand, copied as is).
export interface User { id: string; name: string; email: string }
export interface UserPatch { name?: string; email?: string }
export interface Invoice { id: string; total: number; currency: string; paid: boolean }
export interface PaymentMethod { id?: string; kind: "card" | "sepa"; last4: string }
export interface SearchResult { total: number; hits: { id: string; title: string }[] }
