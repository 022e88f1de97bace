// Screenshot requests from the suite running in the extension host (see
// test/integration/suite/shots.ts): the host logs `AUTHLINT_E2E_SHOT:<base64 JSON>`, which the
// workbench forwards to window.codeAutomationLog. This side waits until the UI shows what the
// request names, saves a PNG to test-results/, then answers by writing <control>/<name>.json,
// which the suite is watching.
//   request: { name, selector?, text?, frameText? }  selector: CSS in the workbench page;
//            text: text of a notification (toast or notification center row); frameText: text in some frame (a webview);
//            noToasts: wait until no notification toast covers the workbench;
//            click: after the screenshot, click the button of this name in the notification showing `text`.
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = /AUTHLINT_E2E_SHOT:([A-Za-z0-9+/=]+)/;

export function handleLog(page, text, { control, shots, log }) {
  const m = PREFIX.exec(text);
  if (!m) return false;
  const req = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'));
  const answer = (body) => {
    // Written then renamed, so the watcher never sees a half-written file.
    const file = path.join(control, `${req.name}.json`);
    fs.writeFileSync(`${file}.part`, JSON.stringify(body));
    fs.renameSync(`${file}.part`, file);
  };
  take(page, req, shots)
    .catch(async (err) => {
      // What the page showed instead, for whoever reads the failure.
      await page.screenshot({ path: path.join(shots, `${req.name}-failed.png`) }).catch(() => {});
      const toasts = await page.locator('.notification-toast').allInnerTexts().catch(() => []);
      throw new Error(`${err.message}; toasts: ${JSON.stringify(toasts)}`);
    })
    .then((file) => { log(`screenshot ${path.relative(process.cwd(), file)}`); answer({ ok: true, file }); })
    .catch((err) => { log(`screenshot ${req.name} failed: ${err.message}`); answer({ ok: false, error: err.message }); });
  return true;
}

async function take(page, req, shots) {
  const timeout = 30000;
  if (req.selector) await page.waitForSelector(req.selector, { state: 'visible', timeout });
  if (req.text) {
    // A toast, or a row of the notification center (notifications.showList).
    const toast = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: req.text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    // It slides in: wait for its own transitions (not the progress bar inside) to end or be replaced.
    await toast.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished.catch(() => undefined))));
  }
  if (req.frameText) await waitForFrameText(page, req.frameText, timeout);
  if (req.noToasts) {
    await page.waitForFunction(() => [...document.querySelectorAll('.notification-toast')]
      .every((t) => t.getBoundingClientRect().height === 0 || getComputedStyle(t).visibility === 'hidden'), null, { timeout });
  }
  // Let the editor finish painting (decorations fade in over ~100 ms).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const file = path.join(shots, `${req.name}.png`);
  await page.screenshot({ path: file });
  if (req.click) {
    const toast = page.locator('.notification-toast', { hasText: req.text });
    await toast.getByRole('button', { name: req.click }).first().click({ timeout });
  }
  return file;
}

async function waitForFrameText(page, text, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      const body = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (body.includes(text)) return;
    }
    if (Date.now() > end) throw new Error(`no frame showed ${JSON.stringify(text)} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
