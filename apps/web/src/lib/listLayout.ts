// A list's column layout (hidden columns and their order, kept per user on the server): pure helpers
// of the column chooser.

/** The list's columns in the layout's order: known keys as arranged, then the others in the list's own order. */
export function orderedKeys(allKeys: string[], order: string[]): string[] {
  return [...order.filter((k) => allKeys.includes(k)), ...allKeys.filter((k) => !order.includes(k))];
}

/** The layout a saved view's columns (visible keys in order) stand for over these keys. */
export function layoutOfView(allKeys: string[], columns: string[]): { order: string[]; hidden: string[] } {
  const shown = columns.filter((k) => allKeys.includes(k));
  if (!shown.length) return { order: allKeys, hidden: [] };
  return {
    order: [...shown, ...allKeys.filter((k) => !shown.includes(k))],
    hidden: allKeys.filter((k) => !shown.includes(k)),
  };
}

/** Moves a key one place up (-1) or down (+1) in the order. */
export function moveKey(order: string[], key: string, by: -1 | 1): string[] {
  const i = order.indexOf(key);
  const j = i + by;
  if (i < 0 || j < 0 || j >= order.length) return order;
  const next = [...order];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}
