// Plans and carries out a deploy with a cancellable progress notification. Everything risky (order, staging,
// verification, space) is in src/device/deploy; this only shows it.
import * as vscode from 'vscode';
import { nodeDeployFs } from '../../device/deploy/deployFs';
import { DeployError } from '../../device/deploy/deployErrors';
import { type LockHolder, withDriveLock } from '../../device/deploy/driveLock';
import { type DeployResult, executeDeploy } from '../../device/deploy/executeDeploy';
import { formatBytes, type DeployPlan } from '../../device/deploy/planDeploy';
import { type DeployRequest, prepareDeploy } from '../../device/deploy/prepareDeploy';
import { UserError, messageOf, openSettingAction } from '../userError';

export interface DeployOutcome {
  plan: DeployPlan;
  result: DeployResult;
}

export async function runDeploy(request: DeployRequest, title: string, log: vscode.LogOutputChannel): Promise<DeployOutcome> {
  const fs = nodeDeployFs();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    const waiting = (holder: LockHolder | undefined) => {
      log.info(`Deploy to ${request.drivePath}: waiting, another deploy is writing to this drive${holder ? ` (process ${holder.pid})` : ''}.`);
      progress.report({ message: 'waiting: another deploy is writing to this drive' });
    };
    try {
      // Planned and carried out holding the drive's deploy lock (another window, the CLI), so the plan is current.
      return await withDriveLock(
        request.drivePath,
        async () => {
          const plan = await prepareDeploy(request, fs);
          if (!plan.fits) throw new UserError(plan.spaceProblem ?? `Not enough space on ${plan.drivePath}.`);
          log.info(`Deploy to ${plan.drivePath}: ${plan.writes.map((w) => w.target).join(', ') || 'nothing to write'}; unchanged: ${plan.unchanged.length}.`);
          if (plan.runtimeForm) log.info(`The runtime goes as ${plan.runtimeForm.form === 'mpy' ? 'precompiled .mpy' : '.py source'}: ${plan.runtimeForm.reason}.`);
          let reported = 0;
          const result = await executeDeploy(plan, {
            fs,
            signal: abort.signal,
            onProgress: (p) => {
              const share = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 0;
              const phase = p.phase === 'copy' ? `copying ${p.target ?? ''}` : p.phase === 'commit' ? `verifying ${p.target ?? ''}` : p.phase;
              progress.report({ increment: Math.max(0, share - reported), message: `${phase} (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})` });
              reported = Math.max(reported, share);
            },
          });
          return { plan, result };
        },
        { signal: abort.signal, onWait: waiting },
      );
    } finally {
      cancel.dispose();
    }
  });
}

/** A deploy failure's message with what happened to the board (its previous files are intact unless listed). */
export function describeDeployError(error: unknown): string | undefined {
  if (!(error instanceof DeployError)) return undefined;
  const replaced = error.replaced.length ? ` Replaced before it stopped: ${error.replaced.join(', ')}.` : '';
  return `${error.message}${replaced}`;
}

/** A failed deploy as the user sees it: what happened to the board, and, when the drive came from the
 *  picoformer.drivePath setting and cannot be used, that setting as a button. */
export function deployFailure(error: unknown, target: { fromSetting?: boolean }): UserError {
  const code = (error as { code?: string }).code;
  const settingAt = target.fromSetting && (code === 'drive-vanished' || code === 'read-only');
  const message = describeDeployError(error) ?? messageOf(error);
  return new UserError(settingAt ? `${message} The drive comes from the picoformer.drivePath setting.` : message, code, settingAt ? [openSettingAction('picoformer.drivePath')] : []);
}
