// Default harm weight per category, modelled on the Cambridge Crime Harm Index (Sherman,
// Neyroud and Neyroud 2016): the days of custody at the sentencing starting point for
// a first offence of the typical kind, from the Sentencing Council's guidelines for
// England and Wales. Categories that are not offences in themselves, or whose starting
// point is a fine or a community order, carry 1 so they count without dominating.
// Administrators change the live weights (table harm_weights, /api/harm-weights); these
// are the values a new database starts with. docs/harm.md explains each one.
import { Type, type Static } from 'typebox';
import { CATEGORIES, type Category } from './vocabulary.js';

export interface HarmDefault {
  weight: number;
  basis: string;
}

export const HARM_DEFAULTS: Record<Category, HarmDefault> = {
  cse: { weight: 1825, basis: 'Sexual activity with a child (SOA 2003 s.9), category 2A starting point: 5 years' },
  cce: { weight: 730, basis: 'Modern Slavery Act 2015 s.2 (human trafficking), lowest culpability and harm starting point as used for CCE: 2 years' },
  county_lines: { weight: 1642, basis: 'Supply of a class A drug (MDA 1971 s.4(3)), significant role, category 3 starting point: 4 years 6 months' },
  cuckooing: { weight: 365, basis: 'Exploitation of a vulnerable adult\'s home; taken as Modern Slavery Act s.1 at the lowest starting point less mitigation: 1 year' },
  serious_violence: { weight: 548, basis: 'Inflicting grievous bodily harm (OAPA 1861 s.20), category 2 starting point: 18 months' },
  knife_crime: { weight: 183, basis: 'Possession of a bladed article (CJA 1988 s.139), category 2A starting point: 6 months' },
  robbery: { weight: 1460, basis: 'Street robbery (Theft Act 1968 s.8), category 2B starting point: 4 years' },
  missing_episode: { weight: 1, basis: 'Not an offence: counted, with the least weight' },
  drugs: { weight: 1, basis: 'Possession of a controlled drug: starting point a fine, weight 1' },
  domestic_abuse: { weight: 90, basis: 'Assault occasioning actual bodily harm (OAPA 1861 s.47) at the lowest custodial starting point, domestic context: 90 days' },
  asb: { weight: 1, basis: 'Anti-social behaviour: not an offence in itself, weight 1' },
  other: { weight: 1, basis: 'Unclassified: weight 1 until a category is known' },
};

/** The default weight per category (days of custody). */
export const HARM_WEIGHTS: Record<Category, number> = Object.fromEntries(
  CATEGORIES.map((category) => [category, HARM_DEFAULTS[category].weight]),
) as Record<Category, number>;

/** The most a weight may be: 100 years of custody. */
export const MAX_HARM_WEIGHT = 36_500;

export const HarmWeight = Type.Object({
  category: Type.Enum(CATEGORIES),
  label: Type.String(),
  weight: Type.Number({ description: 'days of custody at the sentencing starting point (Cambridge Crime Harm Index style)' }),
  basis: Type.String({ description: 'where the weight comes from' }),
  defaultWeight: Type.Number(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});
export type HarmWeight = Static<typeof HarmWeight>;

export const HarmWeights = Type.Object({ weights: Type.Array(HarmWeight) });
export type HarmWeights = Static<typeof HarmWeights>;

export const HarmWeightParams = Type.Object({
  category: Type.Enum(CATEGORIES, { description: 'the category whose weight changes' }),
}, { additionalProperties: false });
export type HarmWeightParams = Static<typeof HarmWeightParams>;

export const HarmWeightUpdate = Type.Object({
  weight: Type.Number({ minimum: 0, maximum: MAX_HARM_WEIGHT, description: 'days of custody, 0 to 36,500' }),
  basis: Type.String({ minLength: 3, maxLength: 500, description: 'why: the guideline and starting point used' }),
}, { additionalProperties: false });
export type HarmWeightUpdate = Static<typeof HarmWeightUpdate>;

export const HarmWeightUpdated = Type.Object({
  weight: HarmWeight,
  incidentsReweighted: Type.Integer({ description: 'incidents of the category whose stored weight changed' }),
});
export type HarmWeightUpdated = Static<typeof HarmWeightUpdated>;
