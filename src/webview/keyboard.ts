/**
 * Keyboard navigation of the tree, following the WAI-ARIA tree pattern: arrows move and fold,
 * Home/End/PageUp/PageDown jump, Enter/Space open the task's creation site (or fold a section).
 */
import { foldState } from './rowTypes';
import type { TreeView } from './tree';

export function attachKeyboard(tree: TreeView): void {
  tree.root.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (handleKey(tree, e.key)) {
      e.preventDefault();
      e.stopPropagation();
    }
  });
}

/** Performs the key's action; false when the key is not one of the tree's. */
export function handleKey(tree: TreeView, key: string): boolean {
  const count = tree.rowCount;
  if (count === 0) return false;
  const current = tree.selectedIndex();
  const at = current < 0 ? 0 : current;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      tree.select(current < 0 ? 0 : clamp(at + 1));
      return true;
    case 'ArrowUp':
      tree.select(clamp(at - 1));
      return true;
    case 'Home':
      tree.select(0);
      return true;
    case 'End':
      tree.select(count - 1);
      return true;
    case 'PageDown':
      tree.select(clamp(at + tree.pageSize));
      return true;
    case 'PageUp':
      tree.select(clamp(at - tree.pageSize));
      return true;
    case 'ArrowRight': {
      const row = tree.rowAt(at);
      if (!row) return false;
      const fold = foldState(row);
      if (fold === 'collapsed') tree.toggle(at, true);
      else if (fold === 'expanded') tree.select(clamp(at + 1));
      return true;
    }
    case 'ArrowLeft': {
      const row = tree.rowAt(at);
      if (!row) return false;
      if (foldState(row) === 'expanded') tree.toggle(at, false);
      else if (row.parentIndex >= 0) tree.select(row.parentIndex);
      return true;
    }
    case 'Enter':
    case ' ':
      if (current >= 0) tree.open(current);
      return true;
    default:
      return false;
  }
}
