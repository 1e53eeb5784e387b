import { describe, expect, it } from 'vitest';
import { peopleText } from './summary.js';

describe('people in words', () => {
  it('say "not recorded" where episodes name no person, and count otherwise', () => {
    expect(peopleText(5341, 0)).toBe('people not recorded');
    expect(peopleText(0, 0)).toBe('0 people');
    expect(peopleText(3, 1)).toBe('1 person');
    expect(peopleText(12000, 4015)).toBe('4,015 people');
  });
});
