// Renders media/icon.png (128x128) from the SVG below with headless Debian chromium.
// Run: node scripts/make-icon.mjs   (needs chromium, see scripts/setup-e2e.sh)
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../media/icon.png', import.meta.url));
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect x="4" y="4" width="120" height="120" rx="24" fill="#1f2a44"/>
  <path d="M64 16 L100 30 V60 C100 84 84 102 64 112 C44 102 28 84 28 60 V30 Z" fill="#f4f1e8"/>
  <circle cx="64" cy="54" r="11" fill="#1f2a44"/>
  <path d="M58 60 L70 60 L73 84 L55 84 Z" fill="#1f2a44"/>
  <path d="M18 108 q6 -8 12 0 t12 0 t12 0 t12 0 t12 0 t12 0 t12 0 t12 0" fill="none" stroke="#ff5a4e" stroke-width="5" stroke-linecap="round"/>
</svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log('wrote', out);
} finally {
  await browser.close();
}
