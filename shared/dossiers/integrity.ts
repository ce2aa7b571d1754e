/** A dossier file's integrity states and their labels (reader.ts holds the schemas and re-exports these; kept free of zod for the reader). */

export const INTEGRITY_STATUSES = ['ok', 'altered', 'missing'] as const;
export type IntegrityStatus = (typeof INTEGRITY_STATUSES)[number];
export const INTEGRITY_LABELS: Record<IntegrityStatus, string> = {
  ok: '文件完整',
  altered: '文件内容与导入时不一致',
  missing: '文件已丢失',
};
