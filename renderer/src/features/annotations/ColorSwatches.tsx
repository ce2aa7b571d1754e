/** The 8-colour palette as buttons: pick one (radio) or toggle several (a filter). */
import { ANNOTATION_COLORS } from '../../../../shared/annotations/annotation-kinds';

export function ColorSwatches({
  label,
  isOn,
  onPick,
  mode = 'radio',
  name = (c) => c,
}: {
  label: string;
  isOn(color: string): boolean;
  onPick(color: string): void;
  mode?: 'radio' | 'toggle';
  /** The accessible name of one swatch, from its colour name (黄, 红 …). */
  name?(colorLabel: string): string;
}) {
  return (
    <div className="swatches" role={mode === 'radio' ? 'radiogroup' : 'group'} aria-label={label}>
      {ANNOTATION_COLORS.map((c) => (
        <button
          key={c.value}
          type="button"
          className="swatch"
          {...(mode === 'radio' ? { role: 'radio', 'aria-checked': isOn(c.value) } : { 'aria-pressed': isOn(c.value) })}
          aria-label={name(c.label)}
          title={c.label}
          style={{ ['--swatch' as string]: c.value }}
          onClick={() => onPick(c.value)}
        />
      ))}
    </div>
  );
}
