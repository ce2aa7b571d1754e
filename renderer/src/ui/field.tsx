import type { ReactNode } from 'react';

export function Field(props: { label: string; error?: string | null | undefined; hint?: string; children: ReactNode; className?: string }) {
  return (
    <label className={`field ${props.className ?? ''}`}>
      <span>{props.label}</span>
      {props.children}
      {props.hint && !props.error && <small className="hint">{props.hint}</small>}
      {props.error && <small className="error" role="alert">{props.error}</small>}
    </label>
  );
}
