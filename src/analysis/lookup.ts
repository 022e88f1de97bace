// Lookup tables keyed by names taken from source code: without a prototype, `toString`,
// `constructor` or `__proto__` in the code are never mistaken for entries.
export function nullProto<T extends object>(table: T): T {
  return Object.assign(Object.create(null) as T, table);
}
