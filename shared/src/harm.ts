// Default harm weight per category, in the spirit of the Cambridge Crime Harm Index:
// days of custody at the sentencing starting point for a typical offence of the kind
// (Sentencing Council guidelines for England and Wales). Categories that are not
// offences in themselves (missing episodes, anti-social behaviour) carry a weight of 1
// so they count without dominating. Provisional: the hotspot-engine issue documents
// and makes these configurable.
import type { Category } from './vocabulary.js';

export const HARM_WEIGHTS: Record<Category, number> = {
  cse: 1825, // sexual activity with a child, category 2A starting point: 5 years
  cce: 730, // modern slavery / exploitation offences at the lower starting points: 2 years
  county_lines: 1642, // class A supply, significant role, category 3: 4.5 years
  cuckooing: 365, // exploitation of a vulnerable adult's home: 1 year
  serious_violence: 548, // GBH (s.20), category 2: 18 months
  knife_crime: 183, // possession of a bladed article, category 2: 6 months
  robbery: 1460, // street robbery, category 2B: 4 years
  missing_episode: 1,
  drugs: 1, // possession: typically a fine
  domestic_abuse: 90, // assault occasioning ABH at the low end, with aggravation
  asb: 1,
  other: 1,
};
