// The part of madge's API the cycle check uses (the package ships no types).
declare module "madge" {
  type Config = { fileExtensions?: string[]; tsConfig?: string; detectiveOptions?: Record<string, Record<string, unknown>> };
  type Result = { circular(): string[][]; obj(): Record<string, string[]> };
  export default function madge(path: string | string[], config?: Config): Promise<Result>;
}
