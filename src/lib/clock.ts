/** Where "now" comes from: the system clock in production, a fixed one in tests. */
export type Clock = { now(): Date };
