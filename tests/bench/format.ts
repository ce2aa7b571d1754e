/** Small helpers so every benchmark part prints figures the same way. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function row(label: string, value: string, note = ''): void {
  console.log(`  ${label.padEnd(42)} ${value.padStart(14)}  ${note}`);
}

export const ms = (n: number): string => `${n.toFixed(1)} ms`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
