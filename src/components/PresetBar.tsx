// One-click presets, each with what to look for.
import { PRESETS } from '../core/config/presets';
import { loadPreset, usePlayground } from '../state/store';

/** The four the article refers to first, then the rest. */
const ORDER = ['mmoe-vs-cgc', 'seesaw', 'correlation-sweep', 'negative-transfer'];

export function PresetBar() {
  const active = usePlayground((s) => s.presetId);
  const steps = usePlayground((s) => (s.parsed.ok ? s.parsed.config.train.steps : null));
  const presets = [...PRESETS].sort((a, b) => {
    const ia = ORDER.indexOf(a.id);
    const ib = ORDER.indexOf(b.id);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const cur = presets.find((p) => p.id === active);
  return (
    <section className="presets" aria-label="Presets">
      <div className="preset-buttons">
        <span className="presets-label">Presets:</span>
        {presets.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`preset ${p.id === active ? 'active' : ''}`}
            aria-pressed={p.id === active}
            title={p.description}
            onClick={() => loadPreset(p.id)}
          >
            {p.title}
          </button>
        ))}
      </div>
      {cur && (
        <p className="preset-desc" data-testid="preset-description">
          <strong>{cur.title}.</strong> {cur.description}{' '}
          <span className="muted">
            ({cur.kind === 'suite' ? `${cur.variants.length} models × ${cur.seeds.length} seed${cur.seeds.length > 1 ? 's' : ''}` : 'one run'}, {steps ?? cur.steps} steps each; press Play.)
          </span>
        </p>
      )}
    </section>
  );
}
