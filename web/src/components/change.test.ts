import { describe, expect, it } from 'vitest';
import { changeOf } from './change';

describe('changeOf', () => {
  it('says which way and by how much, in words', () => {
    expect(changeOf(150, 100)).toEqual({ direction: 'up', symbol: '▲', text: 'up 50%' });
    expect(changeOf(25, 100)).toEqual({ direction: 'down', symbol: '▼', text: 'down 75%' });
    expect(changeOf(100.4, 100)).toMatchObject({ direction: 'same', text: 'no change' });
    expect(changeOf(10, 0)).toMatchObject({ direction: 'new' });
    expect(changeOf(0, 0)).toMatchObject({ direction: 'same', text: 'none in either period' });
    expect(changeOf(10, null)).toMatchObject({ direction: 'none', text: 'no previous period' });
  });
});
