// Asks the runner (scripts/e2e-shots.mjs) to screenshot the workbench once it shows
// `selector` (CSS), a notification with `text`, or a frame containing `frameText`.
// Only available under scripts/run-e2e.mjs.
import * as path from 'path';
import { waitForFile } from './host';

export interface ShotRequest {
  name: string;
  selector?: string;
  text?: string;
  frameText?: string;
  /** Wait until no notification toast covers the workbench (finished progress stays 800 ms). */
  noToasts?: boolean;
  /** After the screenshot, click the button of this name in the notification that shows `text`. */
  click?: string;
}

export function canScreenshot(): boolean {
  return Boolean(process.env.AUTHLINT_E2E_CONTROL);
}

export async function screenshot(req: ShotRequest): Promise<{ ok: boolean; file?: string; error?: string }> {
  const control = process.env.AUTHLINT_E2E_CONTROL;
  if (!control) throw new Error('screenshots need scripts/run-e2e.mjs');
  const answer = waitForFile(path.join(control, `${req.name}.json`));
  console.log(`AUTHLINT_E2E_SHOT:${Buffer.from(JSON.stringify(req)).toString('base64')}`);
  return JSON.parse(await answer);
}
