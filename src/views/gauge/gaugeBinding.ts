// Keeps the gauge in step with the Studio session: the selected model on the selected board, plus the last live
// heap figures a board reported. No VS Code here: `render` draws the view (MemoryGauge in the extension).
import { summarize } from '../../model/summary';
import type { StudioSession } from '../../panels/studioSession';
import { type GaugeView, type LiveHeap, gaugeView } from '../viewModels/gaugeView';

export class GaugeBinding {
  private live: LiveHeap | null = null;
  private modelPath: string | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly session: StudioSession,
    private readonly render: (view: GaugeView) => void,
    private readonly command: string,
  ) {
    this.subscriptions = [
      session.onDidChange(() => this.update()),
      session.onLiveMemory((event, source) => this.setLive({ free: event.free, peak: event.peak, heapLimit: event.heapLimit, source: source.label })),
    ];
    this.update();
  }

  /** Live figures from anywhere a board reports them (a Studio run, a device session's memory poll); null clears. */
  setLive(live: LiveHeap | null): void {
    this.live = live;
    this.update();
  }

  update(): void {
    const selected = this.session.selectedModel;
    // Figures measured with another model loaded say nothing about this one.
    if (selected?.ref.path !== this.modelPath) {
      this.modelPath = selected?.ref.path;
      this.live = null;
    }
    const result = this.session.gaugeEstimate();
    this.render(
      gaugeView({
        model: selected ? { fileName: selected.ref.name, ownName: summarize(selected.header).name } : null,
        estimate: result?.estimate ?? null,
        problem: result?.problem,
        live: this.live,
        command: this.command,
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
