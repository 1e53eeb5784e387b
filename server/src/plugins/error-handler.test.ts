import { describe, expect, it } from 'vitest';
import { describeValidation } from './error-handler.js';

describe('validation messages', () => {
  it('name the field and quote what is expected', () => {
    expect(describeValidation({
      instancePath: '/hours', keyword: 'pattern', params: {}, parentSchema: { description: 'local hours like 15-19' },
    }, 'querystring')).toEqual({ field: 'hours', message: 'hours: is not valid (expected local hours like 15-19)' });
  });

  it('name unknown and missing parameters', () => {
    expect(describeValidation({ instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'hour' } }, 'querystring'))
      .toEqual({ field: 'hour', message: 'hour: unknown querystring parameter' });
    expect(describeValidation({ instancePath: '', keyword: 'required', params: { missingProperty: 'level' } }, 'querystring'))
      .toEqual({ field: 'level', message: 'level: is required' });
  });
});
