// Shows the memory verdict before anything is written: nothing for a model that fits, a modal warning with the
// numbers for danger, a refusal with the reason for impossible; each offering int8 or the streamed mode when they
// help. Resolves to what to do next.
import * as vscode from 'vscode';
import type { DeployOffer, DeployVerdict } from './verdict';

export type VerdictAnswer = 'deploy' | 'cancel' | DeployOffer;

const OfferLabels: Record<DeployOffer, string> = { int8: 'Convert to int8', streamed: 'Deploy, load streamed' };

/** `interactive: false` (tests, scripts): danger deploys, impossible is refused, no dialog. */
export async function confirmVerdict(verdict: DeployVerdict, interactive: boolean): Promise<VerdictAnswer> {
  if (verdict.kind === 'go') return 'deploy';
  if (!interactive) return verdict.kind === 'warn' ? 'deploy' : 'cancel';
  const offers = verdict.offers.map((o) => OfferLabels[o]);
  if (verdict.kind === 'warn') {
    const answer = await vscode.window.showWarningMessage('This model may not load on the board.', { modal: true, detail: verdict.message }, 'Deploy anyway', ...offers);
    return answer === 'Deploy anyway' ? 'deploy' : answerToOffer(answer);
  }
  const answer = await vscode.window.showErrorMessage('This model does not fit the board.', { modal: true, detail: `${verdict.message} Nothing was written.` }, ...offers);
  return answerToOffer(answer);
}

function answerToOffer(answer: string | undefined): VerdictAnswer {
  const offer = (Object.keys(OfferLabels) as DeployOffer[]).find((o) => OfferLabels[o] === answer);
  return offer ?? 'cancel';
}
