// After a deploy: the board it went to becomes the board to generate on, and is reached now rather than at the next
// Generate. A board left at the REPL (auto-reload is off there, so the new files would never run) is soft-reloaded,
// the runtime's heap report with the deployed model reaches the gauge, and the session is open for the next run.
import type { Services } from '../../services/services';
import type { TargetSpec } from '../../services/boardTargets';
import type { DeployTarget } from './pickTarget';

/** The generation target of a deploy's board; undefined when it has no console (or it is a stopped virtual Pico). */
export function deployedBoardSpec(services: Services, target: DeployTarget): TargetSpec | undefined {
  if (target.virtual) return services.virtualPico.machine ? { kind: 'virtual' } : undefined;
  return target.port ? { kind: 'serial', port: target.port, label: `${target.label} on ${target.port}`, drivePath: target.drivePath } : undefined;
}

/** Reaches the board; `reloaded` says it had to be restarted. Undefined when there is nothing to reach or it did
 *  not answer (logged by BoardTargets). */
export async function wakeDeployedBoard(services: Services, target: DeployTarget, deployed?: { file: string; modelPath: string }): Promise<{ reloaded: boolean } | undefined> {
  const spec = deployedBoardSpec(services, target);
  if (!spec) return undefined;
  const reached = await services.targets.wake(spec, deployed);
  return reached ? { reloaded: reached.reloaded } : undefined;
}
