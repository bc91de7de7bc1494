import type { PolicyCriteria } from "./criteria.js";
import type { PolicyStructure } from "./structure.js";

/** A policy as the service knows it: its document's metadata, its state, and the criteria and structure read from it. */
export type PolicyRecord = {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  region: string | null;
  regionPath: string[];
  level: string;
  publishedAt: string | null;
  applyStart: string | null;
  applyEnd: string | null;
  validUntil: string | null;
  source: string | null;
  sourceFile: string | null;
  format: string;
  contentHash: string;
  status: "draft" | "active" | "expired" | "withdrawn";
  tags: string[];
  meta: Record<string, unknown>;
  textChars: number;
  chunkCount: number;
  criteria: PolicyCriteria;
  /** When to apply and what it pays, as data (null for a policy stored before the structure was read). */
  structure?: PolicyStructure | null;
  /** The fingerprint of the rules that derived `criteria` and `structure` (READING_RULES). */
  criteriaRules?: string | null;
  updatedAt?: string;
};

/** A passage of a policy's text as stored: its place in the document and the heading it sits under. */
export type StoredChunk = { id: string; policyId: string; position: number; heading: string | null; text: string };

/** A passage as ingest stores it: its text, and the segmented words, terms and sparse lexical vector search reads. */
export type ChunkRecord = {
  id: string;
  position: number;
  heading: string | null;
  text: string;
  words: string;
  terms: string[];
  lexical: string;
};
