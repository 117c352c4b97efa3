// What went wrong reaching a board's runtime, as coded errors whose first sentence says what happened in the user's
// words (which board, what is missing): the Studio shows the message and picks its buttons by the code
// (panels/runErrorActions.ts). Port paths and drive folders come after the first sentence, if at all. Pure.
import { NoRuntimeError } from '../device/serial/awaitRuntime';
import { SerialOpenError } from '../device/serial/serialErrors';

export type BoardProblemCode =
  | 'no_runtime' // nothing on the board starts the Picoformer runtime
  | 'not_deployed' // the model is not on the board
  | 'no_answer' // the runtime did not reply
  | 'disconnected' // the board went away (the virtual Pico stopped)
  | 'port_busy'
  | 'port_permission'
  | 'port_not_found'
  | 'port';

export class BoardProblem extends Error {
  constructor(
    readonly code: BoardProblemCode,
    message: string,
  ) {
    super(message);
    this.name = 'BoardProblem';
  }
}

/** "The virtual Pico" / "The board on /dev/ttyACM0": `where` with a capital, to start a sentence. */
function capital(where: string): string {
  return where.charAt(0).toUpperCase() + where.slice(1);
}

/** Before connecting: nothing on the drive starts the runtime. */
export function noRuntimeOnDrive(where: string): BoardProblem {
  return new BoardProblem('no_runtime', `${capital(where)} has no Picoformer runtime yet: deploy a model (the runtime goes with it) to generate there.`);
}

/** Before connecting, or from the runtime's own list: the model is not among the board's files. */
export function notDeployed(fileName: string, where: string, onBoard: readonly string[]): BoardProblem {
  const listing = onBoard.length ? `On the board: ${onBoard.join(', ')}.` : 'The board has no models yet.';
  return new BoardProblem('not_deployed', `${fileName} is not on ${where} yet: deploy it to generate there. ${listing}`);
}

/** A failed attempt to reach the runtime (the session could not be opened, or no `ready` came). AbortErrors pass. */
export function connectProblem(error: unknown, where: string, virtual: boolean): Error {
  if ((error as Error)?.name === 'AbortError') return error as Error;
  if (error instanceof NoRuntimeError) return new BoardProblem('no_runtime', `${capital(where)} has no working Picoformer runtime: ${error.message}. Deploy a model (the runtime goes with it) to fix it.`);
  if (error instanceof SerialOpenError) {
    const code = ({ busy: 'port_busy', permission: 'port_permission', 'not-found': 'port_not_found' } as const)[error.kind as 'busy' | 'permission' | 'not-found'] ?? 'port';
    return new BoardProblem(code, error.message);
  }
  const why = error instanceof Error ? error.message : String(error);
  if ((error as { code?: unknown })?.code === 'disconnected') {
    return new BoardProblem('disconnected', `${capital(where)} went away while connecting${virtual ? ' (it was stopped)' : ''}. Details: ${why}`);
  }
  const fix = virtual ? 'Restart the virtual Pico, or deploy the runtime again.' : 'Press the board\'s reset button or deploy the runtime again.';
  return new BoardProblem('no_answer', `${capital(where)} did not answer: the Picoformer runtime is not running on it. ${fix} Details: ${why}`);
}
