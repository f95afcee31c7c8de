// The explainer under the tool, as TensorFlow Playground has one. Every
// measured number it gives comes from docs/findings.json ("What the runs
// show"), never typed into the prose.
import type { ReactNode } from 'react';
import { getPreset } from '../core/config/presets';
import { FINDINGS, findingsByPart, provenance, verdictClass, verdictWords } from '../state/findings';

function PresetLink({ id, children }: { id: string; children: ReactNode }) {
  return (
    <a href={`#preset=${id}`} onClick={() => window.scrollTo({ top: 0, behavior: 'smooth' })} title="Load this preset into the playground above">
      {children}
    </a>
  );
}

export function Article() {
  return (
    <article className="article" aria-labelledby="article-h">
      <h2 id="article-h">Multi-task learning, experts and gates: what you are looking at</h2>
      <p>
        A multi-task model learns several prediction tasks at once from the same input: in a recommender, for instance, whether a user clicks a
        video and how long they watch it. Sharing parameters between tasks can help (a task borrows statistical strength from the others) or
        hurt. This playground trains the models of the MMoE (Ma et al., KDD 2018) and PLE (Tang et al., RecSys 2020) papers on synthetic tasks
        whose correlation you control, right in your browser, and shows what their gates do while they learn.
      </p>

      <h3>Negative transfer</h3>
      <p>
        When tasks are weakly related, forcing them through one shared network can make a task <em>worse</em> than if it had been trained alone:
        the shared layers must serve conflicting targets, and the gradients of one task undo the progress of the other. That is negative transfer.
        We measure it with the <strong>MTL gain</strong>: the test metric of a multi-task model minus that of single-task models trained on the same
        data, seeds and budget (for MSE, single minus model, so that positive always means better). Try the{' '}
        <PresetLink id="negative-transfer">Negative transfer</PresetLink> preset; its mechanism: <Mechanism id="negative-transfer" />.
      </p>

      <h3>The seesaw phenomenon</h3>
      <p>
        The PLE paper observed that many multi-task models improve one task only by degrading another: plotted as (gain on task A, gain on task B),
        they land in the top-left or bottom-right quadrant. That is the seesaw. The goal is the top-right quadrant: better on both. The{' '}
        <PresetLink id="seesaw">Seesaw</PresetLink> preset trains every model on the same regression + binary pair and plots one point per
        model and seed; its mechanism: <Mechanism id="seesaw" />. On synthetic data nothing guarantees the paper's picture, and one seed is
        noisy: add seeds (e.g. <code>1-5</code>) before reading anything into a point.
      </p>

      <h3>MMoE: one gate per task</h3>
      <p>
        Multi-gate Mixture-of-Experts replaces the shared bottom by several <em>experts</em> (small MLPs) and gives each task a <em>gate</em>: a
        softmax over the experts, computed from the input, <code>g_k(x) = softmax(W_k·x)</code>. Task k's tower reads{' '}
        <code>Σ_i g_k(x)_i·E_i(x)</code>. Because each task weighs the experts its own way, weakly related tasks can drift apart. OMoE, the
        ablation, has one gate shared by all tasks. The <PresetLink id="correlation-sweep">Correlation sweep</PresetLink> preset repeats the MMoE
        paper's experiment, in which Shared-Bottom suffers most as the task correlation p falls and MMoE least; what this generator gives is
        under <FindingsLink>What the runs show</FindingsLink>.
      </p>

      <h3>CGC: experts of your own</h3>
      <p>
        In MMoE every expert is shared, so nothing stops the gates from blending everything. Customized Gate Control gives each task its own{' '}
        <em>task-specific</em> experts besides the shared ones, and task k's gate may only mix its own experts and the shared experts. Task A's loss
        then puts exactly zero gradient on task B's experts and gate. The <PresetLink id="mmoe-vs-cgc">MMoE vs CGC gate usage</PresetLink> preset
        gives both models three experts of the same size and compares how their gates use them; its mechanism:{' '}
        <Mechanism id="mmoe-vs-cgc" />.
      </p>

      <h3>When the relationship depends on the input</h3>
      <p>
        With one correlation p for every input, the tasks relate the same way everywhere, and a gate that reads x has nothing to route. The form’s{' '}
        <em>Task relationship</em> setting has a second mode: a hidden direction r, which no model sees, splits the inputs into region 1 (
        <code>rᵀx ≤ 0</code>) and region 2 (<code>rᵀx &gt; 0</code>), and each region has its own task correlation. A shared bottom must
        compromise between the regions; a gate can send each region to different experts. The <em>Sine weight s</em> sets how much the sine terms
        count against the linear part, where the regional structure lives. The Data chart colours the rows by region, and under each task gate
        the utilisation chart gives its <em>region L1</em>: how differently it routes the two regions.
      </p>

      <h3>PLE: progressive layers</h3>
      <p>
        Progressive Layered Extraction stacks CGC in levels. At each level, task k's experts and gate read task k's output from the level below;
        the shared experts read the shared output, produced by a <em>shared gate</em> that mixes every expert of the level (task-specific and
        shared). The last level has no shared gate. PLE with one level is CGC.
      </p>

      <h3>Feature-selection gates and ESMM over CGC</h3>
      <p>
        An expert gate chooses between experts; a <em>feature gate</em> chooses between input features. With <em>Feature-selection gates</em>{' '}
        on (MMoE, CGC, PLE), each task gets a gate of one linear layer + softmax over the d input features, and its weights, times d so that a
        uniform gate changes nothing, multiply the raw features before that task’s experts and gate; the shared experts get a shared feature
        gate. It lets tasks read different features, like “delivery time” mattering to one business and not another. On synthetic tasks the
        generator knows each task’s true weights w_k, so the <em>Feature gates</em> chart puts |w_k| over each gate’s mean weight per dimension
        and gives their correlation r. The <em>feature-selection</em> preset gives each task its own block of features; its mechanism:{' '}
        <Mechanism id="feature-selection" />. ESMM can also sit on a CGC module instead of a shared bottom (<em>ESMM bottom</em>: the brief’s
        Meituan hybrid): the same pCTR × pCVR structure, with experts of its own for CTR and for CVR plus shared ones.
      </p>

      <h3>Score fusion at serving time</h3>
      <p>
        A ranking system serves one list, so it fuses the task predictions p_k of each item into one score: additively,{' '}
        <code>Σ_k w_k·p_k</code>, or multiplicatively, <code>Π_k p_k^w_k</code> (the PLE paper’s online formula). The <em>Score fusion</em>{' '}
        panel does this on a trained run’s test rows: its sliders set the w_k, and for each task it scores that task’s labels under the one fused
        ranking (AUC for a binary task, Spearman rank correlation for a regression task, whose p_k is the prediction’s percentile, since a
        regression value is not a probability). Raising one weight buys that task’s ranking and costs the others’: the seesaw again, now at
        serving time. The two formulas also disagree about which items come first: an additive sum lets one very strong objective carry an
        item, so each objective counts for less as objectives are added, while a product punishes an item that is weak on any of them. The panel
        lists the top 20 test rows under both and how many they share.
      </p>

      <h3>The joint loss</h3>
      <p>
        All tasks train together on <code>L = Σ_k ω_k·L_k</code>, with MSE for regression and sigmoid cross-entropy on logits for binary tasks.
        Each task's loss is averaged over the rows where that task is observed (<code>δ_k = 1</code>): with the sample-space chain, task k exists
        only where task k−1 was positive (exposure → click → conversion). The weights ω can be fixed, decay per epoch as in PLE (
        <code>ω_k·γ_k^t</code>), be learned from each task's uncertainty (Kendall et al. 2018), or be tuned by GradNorm to balance the tasks'
        training rates.
      </p>

      <FindingsSection />

      <h3>How to read the charts</h3>
      <dl>
        <dt>Architecture</dt>
        <dd>
          Input on the left, then each level's expert modules (task-specific ones in the task's colour, shared ones grey in a dashed box) and
          gates, then towers and outputs. While training, the width of an expert → gate edge is the gate's current mean weight on that expert;
          hover an edge for the number.
        </dd>
        <dt>Expert utilisation</dt>
        <dd>
          For every gate: one bar per expert, the <strong>mean</strong> gate weight over the test set; the whisker is ± one standard deviation
          over test samples, or ± the variance (toggle; the legend says which). Two task gates with the same bars use the experts the same way.
          The level's <em>task-gate L1 distance</em> (mean over samples of Σ|g_A − g_B|, 0 = identical, 2 = disjoint) and the gates'{' '}
          <em>entropy</em> (nats; ln n = uniform over n experts, 0 = one expert) sum it up. Expected from the PLE paper: MMoE's task gates look
          alike; CGC/PLE task gates differ. On regional data, the line under each task gate is its region L1: Σ over its experts of |mean
          weight in region 1 − in region 2| (0 = both regions get the same mix, 2 = disjoint experts).
        </dd>
        <dt>Gate weights over time</dt>
        <dd>Each gate's mean weights as stacked bands over training steps: when the gates make up their minds, and whether experts swap roles.</dd>
        <dt>Gate maps</dt>
        <dd>
          Where in the input space a gate sends its weight, after TensorFlow Playground&apos;s output heatmap: one small map per expert of the
          gate you pick. The test inputs are projected on a plane of two of the generator&apos;s directions (by default the tasks&apos; weight
          directions w₁ᵀx and w₂ᵀx; on regional data w₁ᵀx against the hidden region direction rᵀx), binned 24 × 24, and each bin is coloured by
          the gate&apos;s mean weight on that expert over the rows in it (white 0, module colour 1; the maps of one gate sum to 1 per bin). On
          regional data the dashed line is the region boundary rᵀx = 0: a gate that routes by region changes colour across it, as MMoE&apos;s
          task-B gate does in the &quot;MMoE vs CGC gate usage&quot; preset, while task A&apos;s gate stays the same on both sides.
        </dd>
        <dt>Loss and metric curves</dt>
        <dd>
          Per task, training loss (solid) and validation (dashed): loss, or switch to the validation metric (MSE or AUC). Use the log scale when
          losses span orders of magnitude. A diverged run stops at its last finite value with a marker.
        </dd>
        <dt>Gradient conflict</dt>
        <dd>
          Every few steps (<code>train.gradCosineEvery</code>, 100 by default), on one training batch, the cosine between two tasks' loss
          gradients on the weights they share: the shared experts, the shared bottom, or the stitched columns. Near +1 the two tasks push the
          shared weights the same way; near 0 they are unrelated; below 0 (the shaded half) they pull them in opposite directions, so a step
          that helps one hurts the other: gradient conflict, the mechanism behind negative transfer and the seesaw. The legend gives each pair's
          share of negative measurements. With two task towers initialised apart, the cosine starts near 0 even for closely related tasks and
          rises as the towers learn; a model that shares nothing (single-task) has no line.
        </dd>
        <dt>Seesaw</dt>
        <dd>
          One dot per model and seed, a diamond for the mean over seeds, single-task at the origin. Shaded: top-right (gains on both), bottom-left
          (loses on both); the other two quadrants are the seesaw.
        </dd>
        <dt>Trade-off curve</dt>
        <dd>
          The seesaw as a curve (the <PresetLink id="seesaw-tradeoff">Seesaw trade-off curve</PresetLink> preset): each model is trained once
          per task-weight ratio ω_A / (ω_A + ω_B), and its mean MTL gains (A, B) over seeds are joined in ratio order, from the open dot (the
          smallest share for task A) to the filled one (the largest); small dots are single seeds, single-task sits at the origin, shaded as in
          the seesaw. Moving along a curve is what re-weighting the tasks buys; a curve up and to the right of another is better at every
          weighting, and where two curves cross the better model depends on the weighting. The suite box sets the ratios and the models swept;
          the chart also appears for any results that hold the same model at two or more ratios, and grows as runs finish.
        </dd>
        <dt>Correlation sweep</dt>
        <dd>Final test MSE against the requested correlation p, one line per model.</dd>
        <dt>Data</dt>
        <dd>
          The requested correlation p, the cosine of the generated task weight vectors (equal to p), and the measured Pearson correlation of the
          labels, which the sine terms make lower than p (the table gives both). The scatter plots task A's target against task B's; on regional
          data it colours each row by its region and gives each region's requested and measured correlation.
        </dd>
      </dl>

      <h3>Honest caveats</h3>
      <p>
        These are small models on synthetic data, trained for seconds. The papers' effects are tendencies, not laws: what you see here is what
        the data gives for the seeds you ran, never a hand-placed point. Everything is reproducible: the URL holds the whole config, and the
        same seeds on the same backend give the same numbers.
      </p>
    </article>
  );
}

/** A link to the findings section that scrolls without touching the URL hash (the hash holds the config). */
function FindingsLink({ children }: { children: ReactNode }) {
  return (
    <a
      href="#findings-h"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById('findings-h')?.scrollIntoView({ behavior: 'smooth' });
      }}
    >
      {children}
    </a>
  );
}

/** A preset's mechanism, as the preset declares it (lower-case start, no final stop). */
function Mechanism({ id }: { id: string }) {
  return <>{getPreset(id)?.mechanism ?? 'see the preset'}</>;
}

/** Generated from docs/findings.json: each finding's claim, its verdict in words and its numbers, grouped by part. */
function FindingsSection() {
  const groups = findingsByPart();
  const quick = FINDINGS.mode !== 'full';
  return (
    <section aria-labelledby="findings-h" data-testid="article-findings">
      <h3 id="findings-h">What the runs show</h3>
      <p>
        The papers’ findings and the mechanisms behind them, as <code>npm run reproduce</code> measured them here ({provenance()}). Every
        verdict pairs runs by seed and counts an effect only past two standard errors; the numbers are copied from its output file,{' '}
        <code>docs/findings.json</code>, not typed into this page.
      </p>
      {quick && (
        <p className="findings-provisional" data-testid="findings-provisional">
          These come from a provisional quick run (few seeds, short budgets): read them as a preview, not as the verdicts.
        </p>
      )}
      {groups.length === 0 && <p className="muted">docs/findings.json has no findings yet.</p>}
      {groups.map((g) => (
        <div key={g.part} className="findings-part" data-testid="findings-part" data-part={g.part}>
          <h4>{g.title}</h4>
          {g.mechanism && (
            <p>
              {g.mechanism}
              {g.preset && getPreset(g.preset) && (
                <>
                  {' '}
                  <PresetLink id={g.preset}>Load the {getPreset(g.preset)!.title} preset</PresetLink>.
                </>
              )}
            </p>
          )}
          <ul className="finding-list">
            {g.findings.map((f) => (
              <li key={f.id} data-testid="article-finding" data-finding={f.id} data-verdict={f.verdict}>
                <strong>{f.id}.</strong> {f.claim}{' '}
                <span className={`verdict-badge verdict-${verdictClass(f.verdict)}`} title={`verdict: ${f.verdict}`}>
                  {verdictWords(f.verdict)}
                </span>
                <span className="finding-evidence">{f.evidence}</span>
                {f.rule && (
                  <details className="finding-rule">
                    <summary>How the verdict is decided</summary>
                    {f.rule}
                  </details>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
