// Layout after TensorFlow Playground: controls on top, settings left, the
// model and its curves in the centre, gates and the seesaw on the right,
// keep/share below, the article under the tool.
import { ArchitectureDiagram } from './charts/ArchitectureDiagram';
import { CurvesChart } from './charts/CurvesChart';
import { DataView } from './charts/DataView';
import { FeatureGateChart } from './charts/FeatureGateChart';
import { FusionPanel } from './charts/FusionPanel';
import { GateMapChart } from './charts/GateMapChart';
import { GateTimeline } from './charts/GateTimeline';
import { GradientCosineChart } from './charts/GradientCosineChart';
import { SeesawChart } from './charts/SeesawChart';
import { SweepChart } from './charts/SweepChart';
import { TradeoffChart } from './charts/TradeoffChart';
import { UtilisationChart } from './charts/UtilisationChart';
import { Article } from './components/Article';
import { ConfigPanel } from './components/ConfigPanel';
import { ExportPanel } from './components/ExportPanel';
import { Notices } from './components/Notices';
import { PresetBar } from './components/PresetBar';
import { RunList } from './components/RunList';
import { RunPicker } from './components/RunPicker';
import { SuiteTable } from './components/SuiteTable';
import { TopBar } from './components/TopBar';
import { usePlayground } from './state/store';

export function App() {
  const suiteId = usePlayground((s) => s.suiteId);
  const showSweep = suiteId === 'correlation-sweep';
  const showSeesaw = suiteId !== 'correlation-sweep';
  return (
    <div className="app">
      <TopBar />
      <Notices />
      <PresetBar />
      <main className="workspace">
        <aside className="col-left" aria-label="Settings">
          <ConfigPanel />
        </aside>
        <section className="col-centre" aria-label="Model and training curves">
          <RunPicker />
          <ArchitectureDiagram />
          <CurvesChart />
          <GradientCosineChart />
          <GateTimeline />
          <GateMapChart />
          <FusionPanel />
        </section>
        <aside className="col-right" aria-label="Gates, seesaw and data">
          <UtilisationChart />
          <FeatureGateChart />
          {showSweep && <SweepChart />}
          {showSeesaw && <SeesawChart />}
          <TradeoffChart />
          <DataView />
        </aside>
      </main>
      <SuiteTable />
      <section className="keep" aria-label="Saved runs and export">
        <ExportPanel />
        <RunList />
      </section>
      <Article />
      <footer className="footer">
        <p>
          Models after MMoE (Ma et al., KDD 2018) and PLE (Tang et al., RecSys 2020). Training runs locally in a Web Worker with TensorFlow.js; nothing
          leaves your browser.
        </p>
      </footer>
    </div>
  );
}
