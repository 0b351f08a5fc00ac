import { createSelection } from './selection';

describe('the selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];

  it('toggles one image per click', () => {
    const selection = createSelection();
    selection.toggle('b', { order });
    selection.toggle('d', { order });
    selection.toggle('b', { order });

    expect(selection.ids()).toEqual(['d']);
  });

  it('selects the run from the last click to a shift-click, either way', () => {
    const selection = createSelection();
    selection.toggle('d', { order });
    selection.toggle('b', { order, range: true });

    expect(selection.ids().sort()).toEqual(['b', 'c', 'd']);
    selection.toggle('e', { order, range: true });
    expect(selection.ids().sort()).toEqual(['b', 'c', 'd', 'e']);
  });

  it('drops what is no longer listed, and says whether anything went', () => {
    const selection = createSelection();
    selection.toggle('a', { order });
    selection.toggle('c', { order });

    expect(selection.keep(['c', 'd'])).toBe(true);
    expect(selection.ids()).toEqual(['c']);
    expect(selection.keep(['c'])).toBe(false);
  });
});
