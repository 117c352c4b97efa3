// The Studio webview front-end. Built for the browser (dist/webview/studio.js); talks to the extension only through
// panels/protocol.ts. Builds its DOM, restores what the user typed (getState), then sends `ready` LAST: the host
// answers with its whole state, so a hidden, reloaded or reopened panel shows everything again.
import './litNonce';
import './elements';
import type { HostMessage, StudioState } from '../panels/protocol';
import { custom, el } from './dom';
import { GenerationSection } from './generationSection';
import { MemorySection } from './memorySection';
import { TrainingSection } from './trainingSection';
import { loadState, post, saveState } from './vscodeApi';

const saved = loadState();
const remember = (): void => saveState(saved);

const memory = new MemorySection(
  (whatIf) => post({ type: 'changeWhatIf', whatIf }),
  () => post({ type: 'pickModel' }),
  () => post({ type: 'deployModel' }),
);
const generation = new GenerationSection(
  {
    generate: (params) => post({ type: 'generate', params }),
    stop: () => post({ type: 'stop' }),
    copy: () => post({ type: 'copyTranscript' }),
    save: () => post({ type: 'saveTranscript' }),
    fixRun: (action) => post({ type: 'runErrorAction', action }),
    formChanged: (form) => {
      saved.form = form;
      remember();
    },
  },
  saved.form,
);

const training = new TrainingSection({
  train: () => post({ type: 'trainModel' }),
  cancel: () => post({ type: 'cancelTraining' }),
});

function section(heading: string, open: boolean, body: HTMLElement, onToggle: (open: boolean) => void): HTMLElement {
  const collapsible = custom('vscode-collapsible', { heading, open }, body) as HTMLElement & { open: boolean };
  collapsible.addEventListener('vsc-collapsible-toggle', () => onToggle(collapsible.open));
  return collapsible;
}

const root = document.getElementById('studio') as HTMLElement;
root.replaceChildren(
  el('h1', { class: 'visually-hidden' }, 'Picoformer Studio'),
  section('Memory headroom', saved.memoryOpen, memory.root, (open) => {
    saved.memoryOpen = open;
    remember();
  }),
  section('Live generation', saved.generationOpen, generation.root, (open) => {
    saved.generationOpen = open;
    remember();
  }),
  section('Training', saved.trainingOpen, training.root, (open) => {
    saved.trainingOpen = open;
    remember();
  }),
);
root.removeAttribute('aria-busy');

function render(state: StudioState): void {
  memory.render(state);
  generation.render(state);
  training.render(state);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as HostMessage | undefined;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'didChangeState':
      render(message.state);
      break;
    case 'didGenerate':
      generation.apply(message.runId, message.events);
      break;
    case 'didNotify':
      generation.notify(message.level, message.text);
      break;
    case 'didTrain':
      training.show(message.training);
      break;
  }
});

post({ type: 'ready' });
