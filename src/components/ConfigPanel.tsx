// The left column: every setting of the experiment, validated as you type.
import { useId } from 'react';
import { getPreset, REPRODUCTION_SEEDS } from '../core/config/presets';
import { BACKENDS, DEFAULT_CONFIG, MODEL_LABELS, MODEL_TYPES, TASK_TYPES, WEIGHTINGS, type ModelType } from '../core/config/schema';
import { getAt } from '../state/configEdit';
import { leaveSuite, runAllSeeds, setField, setSeedsText, setTaskCount, usePlayground } from '../state/store';
import { CheckField, ListField, LockIcon, NumberField, OptionalSeedField, SeedField, SelectField, useDraftValue } from './fields';
import { ESMM_BOTTOM_LABELS, ESMM_BOTTOM_NOTE, FEATURE_GATES_NOTE, MODEL_DESCRIPTIONS } from '../core/models/descriptions';
import { TradeoffGridFields } from './TradeoffGridFields';
import { PoolSizeField } from './PoolSizeField';

const WEIGHTING_LABELS: Record<(typeof WEIGHTINGS)[number], string> = {
  fixed: 'fixed ω_k',
  'ple-decay': 'PLE decay ω_k·γ_k^epoch',
  uncertainty: 'uncertainty (Kendall)',
  gradnorm: 'GradNorm',
};
/** Why the gate bias matters, in one sentence (SPEC §2, measured). */
export const GATE_BIAS_NOTE =
  'Without a bias, symmetric input pins a gate’s mean weights: a 2-expert gate averages exactly 1/2 whatever it learns, so CGC’s gates could not show a preference for their own expert.';

const BACKEND_LABELS: Record<(typeof BACKENDS)[number], string> = {
  auto: 'auto (best available)',
  webgpu: 'WebGPU',
  wasm: 'WASM (SIMD)',
  webgl: 'WebGL',
  cpu: 'CPU (plain JS)',
};

function Section(props: { title: string; children: React.ReactNode; open?: boolean; help: string }) {
  return (
    <details className="section" open={props.open ?? true}>
      <summary title={props.help}>{props.title}</summary>
      <div className="section-body">{props.children}</div>
    </details>
  );
}

function SuiteBanner() {
  const suiteId = usePlayground((s) => s.suiteId);
  const seedsText = usePlayground((s) => s.seedsText);
  const seedsError = usePlayground((s) => s.issues['suite.seeds']);
  const canRun = usePlayground((s) => s.run.phase !== 'running' && s.run.phase !== 'starting' && s.worker.status !== 'crashed');
  const id = useId();
  const preset = suiteId ? getPreset(suiteId) : null;
  if (!preset || preset.kind !== 'suite') return null;
  return (
    <div className="suite-banner" role="region" aria-label="Suite settings">
      <p>
        <strong>Suite: {preset.title}</strong> —{' '}
        {preset.tradeoff ? (
          <>every model below once per task-weight ratio, plus the single-task baseline, per seed.</>
        ) : (
          <>
            {preset.variants.length} model{preset.variants.length > 1 ? 's' : ''} per seed: {preset.variants.map((v) => v.label).join(', ')}.
          </>
        )}{' '}
        Fields marked <LockIcon /> differ between its runs (or follow the seed scheme); every other change applies to all runs.
      </p>
      {preset.tradeoff && <TradeoffGridFields />}
      <div className={`field${seedsError ? ' has-error' : ''}`}>
        <label htmlFor={id} title="One run of every model per seed. Seed n: data n, init n+1000, batch n+2000. E.g. 1, 2, 3 or 1-5.">
          Seeds
        </label>
        <input
          id={id}
          type="text"
          value={seedsText}
          aria-invalid={!!seedsError}
          title="One run of every model per seed. Seed n: data n, init n+1000, batch n+2000. E.g. 1, 2, 3 or 1-5."
          onChange={(e) => setSeedsText(e.target.value)}
        />
        {seedsError && (
          <p className="field-error" role="alert">
            {seedsError}
          </p>
        )}
      </div>
      <PoolSizeField />
      <button
        type="button"
        className="mini"
        onClick={runAllSeeds}
        disabled={!canRun}
        title={`Run every model of this preset over seeds ${REPRODUCTION_SEEDS.join(', ')} at the current steps: the same numbers as npm run reproduce and the CLI (--seeds ${REPRODUCTION_SEEDS.join(',')}) on the same backend`}
      >
        Run all seeds
      </button>{' '}
      <button type="button" className="mini" onClick={leaveSuite} title="Keep the form's config and train it as a single run">
        Leave suite
      </button>
    </div>
  );
}

function TaskSection() {
  const tasks = useDraftValue<{ type: string; name?: string }[]>(['data', 'tasks']) ?? [];
  const matrix = useDraftValue<number[][] | null>(['data', 'correlationMatrix']);
  const p = useDraftValue<number>(['data', 'correlation']);
  const locked = usePlayground((s) => s.locked.has('data.tasks') || s.locked.has('data.correlation'));
  const regional = useDraftValue<string>(['data', 'relationship']) === 'regional';
  const K = tasks.length;
  const countId = useId();
  return (
    <Section title="Tasks and data" help="The synthetic multi-task data (MMoE paper §3.2): how many tasks, their type and how correlated they are.">
      <div className="field">
        <label htmlFor={countId} title="Number of tasks (2 to 6). Every per-task list is resized.">
          Number of tasks
        </label>
        <select id={countId} value={K} disabled={locked} title="Number of tasks (2 to 6). Every per-task list is resized." onChange={(e) => setTaskCount(Number(e.target.value))}>
          {[2, 3, 4, 5, 6].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div className="task-types">
        {tasks.map((t, k) => (
          <SelectField
            key={k}
            path={['data', 'tasks', k, 'type']}
            label={`${t.name ?? `Task ${k + 1}`} type`}
            help={`Task ${k + 1}: regression (MSE on y) or binary (label = y above the training median, or Bernoulli; sigmoid cross-entropy).`}
            options={TASK_TYPES}
          />
        ))}
      </div>
      <SelectField
        path={['data', 'relationship']}
        label="Task relationship"
        help={RELATIONSHIP_HELP}
        options={RELATIONSHIPS}
        labels={RELATIONSHIP_LABELS}
        wide
        className="long-options"
        note={regional ? REGIONAL_NOTE : undefined}
      />
      {regional ? (
        <RegionCorrelations K={K} />
      ) : !matrix ? (
        <NumberField
          path={['data', 'correlation']}
          label="Correlation p"
          help="Cosine between the tasks' weight vectors (every pair). The labels' correlation comes out lower because of the sine terms: see the Data chart."
          slider
          min={-1}
          max={1}
          step={0.05}
        />
      ) : (
        <MatrixEditor K={K} />
      )}
      {regional && <HiddenIssues />}
      <NumberField path={['data', 'sineScale']} label="Sine weight s" help={SINE_HELP} testId="sine-scale" />
      {K > 2 && !regional && (
        <div className="field check">
          <input
            id={`${countId}-m`}
            type="checkbox"
            checked={!!matrix}
            disabled={locked}
            title="Give each pair of tasks its own correlation (the matrix must be positive semi-definite)"
            onChange={(e) =>
              setField(
                ['data', 'correlationMatrix'],
                e.target.checked ? Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (i === j ? 1 : Number.isFinite(p) ? p : 0.5))) : null,
              )
            }
          />
          <label htmlFor={`${countId}-m`} title="Give each pair of tasks its own correlation (the matrix must be positive semi-definite)">
            Per-pair correlation matrix
          </label>
        </div>
      )}
      <CheckField path={['data', 'chain']} label="Sample-space chain" help="Task k is observed only where task k−1 is positive (exposure → click → conversion); losses and metrics use observed rows only." />
      <CheckField
        path={['data', 'standardizeTargets']}
        label="Standardise regression targets"
        help={
          'On: each regression target is shifted and scaled by the training rows’ mean and standard deviation before training, so tasks of different size count alike in the joint loss; ' +
          'test MSE is then on that scale (1 − R²), and the run table’s tooltip gives the MSE on the raw scale too. Off: the raw targets. Binary tasks are not affected.'
        }
      />
      <details className="sub">
        <summary title="Constants of the generator: y_k = w_kᵀx + Σ_j sin(α_j·w_kᵀx + β_j) + ε_k">Advanced: generator constants and sizes</summary>
        <NumberField path={['data', 'inputDim']} label="Input dimension d" help="Length of x ~ N(0, I_d)." />
        <NumberField path={['data', 'scale']} label="Scale c" help="Norm of the task weight vectors w_k." />
        <NumberField path={['data', 'numSines']} label="Sine terms m" help="Number of sin(α_j·wᵀx + β_j) terms: more sines, less linear, lower label correlation." />
        <NumberField path={['data', 'noiseStd']} label="Noise std σ" help="Standard deviation σ of the label noise ε ~ N(0, σ²) (σ, not the variance)." />
        <SelectField
          path={['data', 'binaryLabel']}
          label="Binary labels"
          help="How a binary task's label comes from its regression target: above the training median, or Bernoulli(sigmoid((y − median)/T))."
          options={['median', 'bernoulli'] as const}
        />
        <NumberField path={['data', 'temperature']} label="Temperature T" help="Temperature of Bernoulli labels (only with Bernoulli binary labels)." />
        <NumberField path={['data', 'nTrain']} label="Training rows" help="Size of the training split." />
        <NumberField path={['data', 'nVal']} label="Validation rows" help="Size of the validation split (validation curves)." />
        <NumberField path={['data', 'nTest']} label="Test rows" help="Size of the test split (final metrics, gate statistics)." />
      </details>
    </Section>
  );
}

const RELATIONSHIPS = ['global', 'regional'] as const;
const RELATIONSHIP_LABELS: Record<(typeof RELATIONSHIPS)[number], string> = {
  global: 'one global correlation',
  regional: 'two regions with their own correlation',
};
const RELATIONSHIP_HELP =
  'One global correlation: the tasks relate the same way for every input (the MMoE paper). ' +
  'Two regions: a hidden direction r splits the inputs into region 1 (rᵀx ≤ 0) and region 2 (rᵀx > 0), each with its own task correlation, so a gate that reads x has something to route (PLE’s “complex correlation”).';
const REGIONAL_NOTE = 'The models never see r; the Data chart colours the rows by region, and the utilisation chart says how differently each task gate routes the two regions.';
const SINE_HELP =
  'How much the sine terms count against the linear part: y = wᵀx + s·Σ sin(α·wᵀx + β) + ε. 1 is the MMoE paper’s generator; 0 leaves linear tasks, whose label correlation is then close to p; a smaller s lets the regional structure show through the sines.';
const REGION_NAMES = ['region 1 (rᵀx ≤ 0)', 'region 2 (rᵀx > 0)'];

/** The two regions' correlations: a number each (editable), or a K×K matrix from a file or link (shown, kept). */
function RegionCorrelations({ K }: { K: number }) {
  const rc = useDraftValue<unknown>(['data', 'regionCorrelations']);
  const whole = usePlayground((s) => s.issues['data.regionCorrelations']);
  const entries: unknown[] = Array.isArray(rc) ? rc : DEFAULT_CONFIG.data.regionCorrelations;
  const write = (j: number) => (v: number | number[][]) => {
    const cur = getAt(usePlayground.getState().draft, ['data', 'regionCorrelations']);
    const next = Array.isArray(cur) ? [...cur] : [...DEFAULT_CONFIG.data.regionCorrelations];
    next[j] = v;
    setField(['data', 'regionCorrelations'], next);
  };
  const min = K > 2 ? -1 / (K - 1) : -1;
  return (
    <div className="region-correlations" data-testid="region-correlations">
      {[0, 1].map((j) =>
        Array.isArray(entries[j]) ? (
          <RegionMatrix key={j} j={j} K={K} m={entries[j] as number[][]} replace={write(j)} />
        ) : (
          <NumberField
            key={j}
            path={['data', 'regionCorrelations', j]}
            label={`Correlation in ${REGION_NAMES[j]}`}
            help={
              `Cosine between the tasks’ weight vectors on the inputs of ${REGION_NAMES[j]} (every pair of tasks). ` +
              (K > 2 ? `With ${K} tasks a negative value must be at least −1/(K−1) = ${min.toFixed(3)}.` : 'Any value from −1 to 1.')
            }
            slider
            min={-1}
            max={1}
            step={0.05}
            wide
            write={write(j)}
          />
        ),
      )}
      {whole && (
        <p className="field-error" role="alert">
          {whole}
        </p>
      )}
    </div>
  );
}

/** A region's K×K matrix, read-only (set by an imported file or a link), with a way back to one number. */
function RegionMatrix({ j, K, m, replace }: { j: number; K: number; m: number[][]; replace: (v: number) => void }) {
  const issue = usePlayground((s) => Object.entries(s.issues).find(([k]) => k === `data.regionCorrelations.${j}` || k.startsWith(`data.regionCorrelations.${j}.`))?.[1]);
  const n = m.length;
  let sum = 0;
  let cnt = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < (m[a]?.length ?? 0); b++) if (a !== b && Number.isFinite(m[a][b])) (sum += m[a][b]), cnt++;
  const mean = cnt ? Math.round((sum / cnt) * 100) / 100 : 0;
  const noteId = useId();
  return (
    <div className={`field wide${issue ? ' has-error' : ''}`} data-testid={`region-matrix-${j}`}>
      <span className="field-label" title={`The task correlations on the inputs of ${REGION_NAMES[j]}, as a full matrix`}>
        Correlation in {REGION_NAMES[j]}: a {n}×{n} matrix
      </span>
      <table className="matrix" aria-label={`Correlation matrix of ${REGION_NAMES[j]} (read-only)`} aria-describedby={noteId}>
        <tbody>
          {m.map((row, a) => (
            <tr key={a}>
              {(Array.isArray(row) ? row : []).map((v, b) => (
                <td key={b} className="muted">
                  {Number.isFinite(v) ? String(v) : '?'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-note" id={noteId}>
        Set by an imported file or a link, and kept as it is (the form edits one number per region).{' '}
        <button type="button" className="mini" title={`Replace the matrix by one correlation for every pair: the mean of its off-diagonal entries, ${mean}`} onClick={() => replace(mean)}>
          use one number ({mean})
        </button>
      </p>
      {issue && (
        <p className="field-error" role="alert">
          {issue}
        </p>
      )}
      {n !== K && !issue && <p className="field-note">This matrix is for {n} tasks; the form has {K}.</p>}
    </div>
  );
}

/** In regional mode the global correlation fields are hidden: their problems (and the input size rule) still reach the user here. */
function HiddenIssues() {
  // Select the issues object itself (a stable reference between validations), then derive.
  const issues = usePlayground((s) => s.issues);
  const hidden = Object.entries(issues)
    .filter(([k]) => k === 'data.correlation' || k.startsWith('data.correlationMatrix') || k === 'data.inputDim')
    .map(([k, v]) => (k === 'data.inputDim' ? v : `global correlation (not used with two regions; choose one global correlation to edit it): ${v}`));
  if (!hidden.length) return null;
  return (
    <div className="field wide has-error">
      {hidden.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );
}

function MatrixEditor({ K }: { K: number }) {
  const issue = usePlayground((s) => Object.entries(s.issues).find(([k]) => k.startsWith('data.correlationMatrix'))?.[1]);
  const m = useDraftValue<number[][]>(['data', 'correlationMatrix']) ?? [];
  const set = (i: number, j: number, v: number) => {
    const next = m.map((r) => [...r]);
    next[i][j] = v;
    next[j][i] = v;
    setField(['data', 'correlationMatrix'], next);
  };
  return (
    <div className={`field wide${issue ? ' has-error' : ''}`}>
      <span className="field-label" title="Target correlation between each pair of tasks' weight vectors. Symmetric, unit diagonal, positive semi-definite.">
        Correlation matrix R
      </span>
      <table className="matrix" aria-label="Correlation matrix editor">
        <tbody>
          {Array.from({ length: K }, (_, i) => (
            <tr key={i}>
              {Array.from({ length: K }, (_, j) => (
                <td key={j}>
                  {i === j ? (
                    <span className="muted">1</span>
                  ) : j > i ? (
                    <input
                      type="text"
                      inputMode="decimal"
                      aria-label={`correlation of task ${i + 1} and task ${j + 1}`}
                      title={`Correlation between task ${i + 1} and task ${j + 1} (mirrored below the diagonal)`}
                      value={Number.isFinite(m[i]?.[j]) ? String(m[i][j]) : ''}
                      onChange={(e) => set(i, j, e.target.value.trim() === '' ? NaN : Number(e.target.value))}
                    />
                  ) : (
                    <span className="muted">{Number.isFinite(m[i]?.[j]) ? m[i][j] : '?'}</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {issue && (
        <p className="field-error" role="alert">
          {issue}
        </p>
      )}
    </div>
  );
}

function ModelSection() {
  const type = useDraftValue<ModelType>(['model', 'type']);
  const spec = useDraftValue<number | number[]>(['model', 'specificExperts']);
  const K = (useDraftValue<unknown[]>(['data', 'tasks']) ?? []).length;
  const esmmBottom = useDraftValue<string>(['model', 'esmmBottom']);
  const esmmCgc = type === 'esmm' && esmmBottom === 'cgc';
  const gated = ['omoe', 'mmoe', 'ml-mmoe', 'cgc', 'ple', 'adatt'].includes(type) || esmmCgc;
  const hasSpecific = type === 'cgc' || type === 'ple' || type === 'adatt' || esmmCgc;
  const perTaskId = useId();
  return (
    <Section title="Model" help="Which multi-task architecture, and its sizes.">
      <SelectField path={['model', 'type']} label="Model" help="The multi-task architecture. See the article below for each one." options={MODEL_TYPES} labels={MODEL_LABELS} />
      {type && MODEL_DESCRIPTIONS[type] && <p className="blurb">{MODEL_DESCRIPTIONS[type]}</p>}
      {type === 'esmm' && (
        <SelectField path={['model', 'esmmBottom']} label="ESMM bottom" help={ESMM_BOTTOM_NOTE} note={ESMM_BOTTOM_NOTE} options={['shared', 'cgc'] as const} labels={ESMM_BOTTOM_LABELS} />
      )}
      {(type === 'ple' || type === 'ml-mmoe' || type === 'adatt') && <NumberField path={['model', 'levels']} label="Levels" help="Extraction levels stacked (PLE with 1 level is CGC)." />}
      {gated && <NumberField path={['model', 'sharedExperts']} label="Shared experts" help="Experts every task's gate can use (per level)." />}
      {hasSpecific && (
        <>
          {Array.isArray(spec) ? (
            <ListField path={['model', 'specificExperts']} label="Specific experts per task" help="Task-specific experts of each task, e.g. 1, 2 (one count per task)." />
          ) : (
            <NumberField path={['model', 'specificExperts']} label="Specific experts" help="Task-specific experts per task (per level): only that task's gate uses them." />
          )}
          <div className="field check">
            <input
              id={perTaskId}
              type="checkbox"
              checked={Array.isArray(spec)}
              title="Give each task its own number of specific experts"
              onChange={(e) => setField(['model', 'specificExperts'], e.target.checked ? new Array(K).fill(typeof spec === 'number' ? spec : 1) : Array.isArray(spec) ? (spec[0] ?? 1) : 1)}
            />
            <label htmlFor={perTaskId} title="Give each task its own number of specific experts">
              Different count per task
            </label>
          </div>
        </>
      )}
      <ListField
        path={['model', 'expertHidden']}
        label={gated ? 'Expert hidden sizes' : type === 'shared-bottom' || type === 'esmm' ? 'Bottom hidden sizes' : 'Column hidden sizes'}
        help="Hidden layer widths of each expert / bottom MLP, e.g. 64 or 64, 32 (1–4 layers, ReLU)."
      />
      <ListField path={['model', 'towerHidden']} label="Tower hidden sizes" help="Hidden widths of each task tower before its linear output (0–3 layers; empty = linear output)." placeholder="none" />
      {gated && <ListField path={['model', 'gateHidden']} label="Gate hidden sizes" help="Hidden widths of a gate MLP before its softmax (empty = one linear layer + softmax, as in the papers)." placeholder="none (linear gate)" />}
      {gated && (
        <CheckField
          path={['model', 'gateBias']}
          label="Trained bias on the gates"
          testId="gate-bias"
          help={
            'On: every gate is softmax(W·x + b) with a trained bias b (as in Meta’s AdaTT, LibMTL and torch-rechub). ' +
            'Off: the papers’ bias-free softmax(W·x).'
          }
          note={GATE_BIAS_NOTE}
        />
      )}
      {(type === 'mmoe' || type === 'cgc' || type === 'ple') && (
        <CheckField path={['model', 'featureGates']} label="Feature-selection gates" testId="feature-gates" help={FEATURE_GATES_NOTE} note={FEATURE_GATES_NOTE} />
      )}
    </Section>
  );
}

function TrainingSection() {
  const kind = useDraftValue<string>(['train', 'weighting', 'kind']);
  const weights = useDraftValue<number[] | null>(['train', 'weighting', 'weights']);
  const gammas = useDraftValue<number[] | null>(['train', 'weighting', 'gammas']);
  const K = (useDraftValue<unknown[]>(['data', 'tasks']) ?? []).length;
  const wId = useId();
  return (
    <Section title="Training" help="Optimiser, budget and how the task losses are weighted in the joint loss.">
      <NumberField path={['train', 'learningRate']} label="Learning rate" help="Adam step size." />
      <NumberField path={['train', 'batchSize']} label="Batch size" help="Rows per training step." />
      <NumberField path={['train', 'steps']} label="Steps" help="Training steps per run." />
      <CheckField
        path={['train', 'selectBest']}
        label="Test at the best validation step"
        testId="select-best"
        help={
          'On: the run keeps a copy of the weights at its lowest joint validation loss, and the test metrics, gate figures and export come from that step (the curves mark it). ' +
          'Off: everything comes from the last step, which on small data has often overfitted.'
        }
      />
      <SelectField path={['train', 'weighting', 'kind']} label="Loss weighting" help="How ω_k in L = Σ ω_k·L_k is set: fixed, PLE's per-epoch decay, learned uncertainty weights, or GradNorm." options={WEIGHTINGS} labels={WEIGHTING_LABELS} />
      {(kind === 'fixed' || kind === 'ple-decay') && (
        <>
          <div className="field check">
            <input
              id={wId}
              type="checkbox"
              checked={!!weights}
              title="Set ω_k per task (default 1 for every task)"
              onChange={(e) => setField(['train', 'weighting', 'weights'], e.target.checked ? new Array(K).fill(1) : null)}
            />
            <label htmlFor={wId} title="Set ω_k per task (default 1 for every task)">
              Per-task weights ω
            </label>
          </div>
          {weights && <ListField path={['train', 'weighting', 'weights']} label="Task weights ω_k" help="One weight per task, e.g. 1, 0.5." />}
        </>
      )}
      {kind === 'ple-decay' && (
        <>
          <div className="field check">
            <input
              id={`${wId}-g`}
              type="checkbox"
              checked={!!gammas}
              title="Set the decay γ_k per task (default 1 = no decay)"
              onChange={(e) => setField(['train', 'weighting', 'gammas'], e.target.checked ? new Array(K).fill(0.95) : null)}
            />
            <label htmlFor={`${wId}-g`} title="Set the decay γ_k per task (default 1 = no decay)">
              Per-task decay γ
            </label>
          </div>
          {gammas && <ListField path={['train', 'weighting', 'gammas']} label="Decay γ_k" help="ω_k(t) = ω_k,0·γ_k^epoch; one γ in (0, 1] per task." />}
        </>
      )}
      {kind === 'gradnorm' && (
        <>
          <NumberField path={['train', 'weighting', 'gradnormAlpha']} label="GradNorm α" help="Restoring force: higher pulls the tasks' training rates together harder." />
          <NumberField path={['train', 'weighting', 'gradnormLr']} label="GradNorm learning rate" help="Step size of the task-weight updates." />
        </>
      )}
      <details className="sub">
        <summary title="Optimiser details and how often the worker reports">Advanced: optimiser and reporting</summary>
        <NumberField path={['train', 'adamEpsilon']} label="Adam ε" help="Adam's epsilon, set explicitly so every backend agrees." />
        <NumberField path={['train', 'clipNorm']} label="Gradient clip norm" help="Clip gradients by global norm; 0 turns clipping off." />
        <NumberField path={['train', 'evalEvery']} label="Validate every (steps)" help="Validation metrics every N steps." />
        <NumberField path={['train', 'readbackEvery']} label="Read loss every (steps)" help="Read the loss back every N steps (never every step on a GPU)." />
      </details>
    </Section>
  );
}

function SeedsSection() {
  return (
    <Section title="Seeds" help="Three independent random streams: the data, the initial weights and the batch order. Reset keeps them, so a rerun sees the same data and initial weights.">
      <SeedField path={['data', 'seed']} label="Data seed" help="Seed of the synthetic data (weights w_k, x, noise)." />
      <SeedField path={['train', 'initSeed']} label="Init seed" help="Seed of the models' initial weights." />
      <SeedField path={['train', 'batchSeed']} label="Batch seed" help="Seed of the mini-batch order." />
      <OptionalSeedField
        path={['data', 'taskSeed']}
        label="Task seed"
        placeholder="none"
        help={
          'Optional. Empty: the data seed draws both the tasks (their weight vectors and sine terms) and the samples. ' +
          'A number fixes the tasks on its own, so a new data seed draws new samples of the same tasks.'
        }
      />
    </Section>
  );
}

function BackendSection() {
  return (
    <Section title="Backend" help="Where TF.js runs the training, inside a Web Worker.">
      <SelectField
        path={['backend']}
        label="Backend"
        help="auto picks WebGPU on a hardware GPU, else WASM (SIMD), WebGL, CPU. Forcing one that is not available falls back and the badge says why."
        options={BACKENDS}
        labels={BACKEND_LABELS}
      />
    </Section>
  );
}

export function ConfigPanel() {
  return (
    <form className="config" aria-label="Experiment settings" onSubmit={(e) => e.preventDefault()}>
      <SuiteBanner />
      <TaskSection />
      <ModelSection />
      <TrainingSection />
      <SeedsSection />
      <BackendSection />
    </form>
  );
}
