// The reading check every page's browser test makes (#17): at 1440×900 no
// table scrolls sideways, the page itself does not, and no identifier cell
// wraps onto a second line. A screenshot is saved first, so a failure can be
// looked at.
import { expect, Page, TestInfo } from '@playwright/test';
import { shot } from './fixtures';

type Overflow = { what: string; scrollWidth: number; clientWidth: number };

/** Elements that scroll sideways (a table's scroll box, or the page), measured in the page. */
async function overflows(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const found: Overflow[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1)
      found.push({
        what: 'the page',
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
      });
    for (const table of Array.from(document.querySelectorAll('table'))) {
      if (!(table as HTMLElement).offsetParent) continue;
      // The nearest ancestor that scrolls sideways holds the table's overflow.
      let box: HTMLElement | null = table.parentElement;
      while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowX))
        box = box.parentElement;
      const measured = box ?? (table as HTMLElement);
      if (measured.scrollWidth > measured.clientWidth + 1) {
        const header = Array.from(table.querySelectorAll('th'))
          .map(th => th.textContent?.trim())
          .filter(Boolean)
          .slice(0, 4)
          .join(' | ');
        found.push({
          what: `table [${header}]`,
          scrollWidth: measured.scrollWidth,
          clientWidth: measured.clientWidth,
        });
      }
    }
    return found;
  });
}

/** Identifier cells drawn on more than one line (their text wrapped). */
async function wrappedIdentifiers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-identifier]'))
      .filter(el => el.offsetParent)
      .filter(el => {
        const lineHeight =
          parseFloat(getComputedStyle(el).lineHeight) ||
          parseFloat(getComputedStyle(el).fontSize) * 1.5;
        return el.getBoundingClientRect().height > lineHeight * 1.5;
      })
      .map(el => el.textContent ?? ''),
  );
}

/**
 * Saves a screenshot named `name` and fails when a table or the page
 * overflows sideways or an identifier wraps. Call it once the page shows
 * its data (tables laid out with their rows).
 */
export async function expectTablesFit(
  page: Page,
  testInfo: TestInfo,
  name: string,
) {
  await shot(page, testInfo, name);
  expect(await overflows(page), `${name}: what scrolls sideways`).toEqual([]);
  expect(
    await wrappedIdentifiers(page),
    `${name}: identifiers on more than one line`,
  ).toEqual([]);
}
