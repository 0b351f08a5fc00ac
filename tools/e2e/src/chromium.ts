import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with a profile of its own: a browser with its own cookies. */
export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'gallery-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where the browser tests leave what a person should look at: screenshots, axe-core's results. */
export const ARTIFACTS = path.resolve(__dirname, '../../../dist/browser');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeSummary {
  page: string;
  /** Violations by impact: minor, moderate, serious, critical. */
  byImpact: Record<string, number>;
  violations: { id: string; impact: string | null | undefined; help: string; nodes: number }[];
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is; appends its summary to the results. */
export async function checkAccessibility(page: Page, name: string): Promise<AxeSummary> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const byImpact: Record<string, number> = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const violation of results.violations) {
    byImpact[violation.impact ?? 'minor'] += 1;
  }
  const summary: AxeSummary = {
    page: name,
    byImpact,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.length,
    })),
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, `axe-${name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** The serious and critical violations of a summary: what a page may not have. */
export const seriousViolations = (summary: AxeSummary) =>
  summary.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
