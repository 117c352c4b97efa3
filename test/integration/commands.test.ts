// Every command can be run: the ones whose feature has not landed say so (and do not throw).
import * as assert from 'node:assert/strict';
import { Commands } from '../../src/ids';
import { activeExtension, executeAndDismiss } from './support';

/**
 * Commands that still answer "not available yet". When a feature lands, move its command out of this list (and
 * give it real tests): the check below fails for a command that no longer returns `{ available: false }`.
 */
const NotYetAvailable: readonly string[] = [];

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function commandTests(): void {
  describe('Picoformer commands', () => {
    before(async () => {
      await activeExtension();
    });

    for (const id of NotYetAvailable) {
      it(`${id} says it is not available yet`, async () => {
        const result = await executeAndDismiss(id);
        assert.deepEqual(
          result,
          { available: false },
          `${id} returned ${JSON.stringify(result)}; if its feature has landed, remove it from NotYetAvailable in test/integration/commands.test.ts`,
        );
      });
    }

    it('shows the log', async () => {
      await executeAndDismiss(Commands.showLog);
    });

    it('refreshes the models view', async () => {
      await executeAndDismiss(Commands.refreshModels);
    });
  });
}
