/**
 * The images picked for a bulk action. A click toggles one; a shift-click selects the run
 * from the last one clicked to this one, in the list's order, as file managers do.
 */
export function createSelection() {
  let selected = new Set<string>();
  let anchor: string | null = null;

  return {
    has: (id: string) => selected.has(id),
    ids: (): string[] => [...selected],
    size: () => selected.size,
    /** `order`: the ids as the list shows them, for a range. */
    toggle(id: string, { range = false, order = [] as readonly string[] } = {}): void {
      const from = anchor === null ? -1 : order.indexOf(anchor);
      const to = order.indexOf(id);
      if (range && from !== -1 && to !== -1) {
        const [start, end] = from < to ? [from, to] : [to, from];
        selected = new Set([...selected, ...order.slice(start, end + 1)]);
      } else {
        selected = new Set(selected);
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
      }
      anchor = id;
    },
    /** Keeps only what is still listed (deleted or filtered-out images drop out). */
    keep(listed: readonly string[]): boolean {
      const still = new Set(listed.filter((id) => selected.has(id)));
      if (still.size === selected.size) return false;
      selected = still;
      return true;
    },
    clear(): void {
      selected = new Set();
      anchor = null;
    },
  };
}

export type Selection = ReturnType<typeof createSelection>;
