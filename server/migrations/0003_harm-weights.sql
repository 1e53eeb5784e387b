-- Up Migration
-- Harm weights per category (Cambridge Crime Harm Index style: days of custody at the
-- sentencing starting point). The live values; incidents.harm_weight carries each
-- incident's copy so hotspot queries need no join. Changing a weight rewrites that copy
-- in the same transaction (server/src/repositories/harm.ts). The defaults below equal
-- HARM_DEFAULTS in shared/src/harm.ts (a test holds them equal); docs/harm.md explains them.
CREATE TABLE harm_weights (
  category   text PRIMARY KEY CHECK (category IN ('cse', 'cce', 'county_lines', 'cuckooing',
               'serious_violence', 'knife_crime', 'robbery', 'missing_episode', 'drugs',
               'domestic_abuse', 'asb', 'other')),
  weight     real NOT NULL CHECK (weight >= 0 AND weight <= 36500),
  basis      text NOT NULL CHECK (length(basis) BETWEEN 3 AND 500),
  default_weight real NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

INSERT INTO harm_weights (category, weight, basis, default_weight)
SELECT category, weight, basis, weight FROM (VALUES
  ('cse', 1825, 'Sexual activity with a child (SOA 2003 s.9), category 2A starting point: 5 years'),
  ('cce', 730, 'Modern Slavery Act 2015 s.2 (human trafficking), lowest culpability and harm starting point as used for CCE: 2 years'),
  ('county_lines', 1642, 'Supply of a class A drug (MDA 1971 s.4(3)), significant role, category 3 starting point: 4 years 6 months'),
  ('cuckooing', 365, 'Exploitation of a vulnerable adult''s home; taken as Modern Slavery Act s.1 at the lowest starting point less mitigation: 1 year'),
  ('serious_violence', 548, 'Inflicting grievous bodily harm (OAPA 1861 s.20), category 2 starting point: 18 months'),
  ('knife_crime', 183, 'Possession of a bladed article (CJA 1988 s.139), category 2A starting point: 6 months'),
  ('robbery', 1460, 'Street robbery (Theft Act 1968 s.8), category 2B starting point: 4 years'),
  ('missing_episode', 1, 'Not an offence: counted, with the least weight'),
  ('drugs', 1, 'Possession of a controlled drug: starting point a fine, weight 1'),
  ('domestic_abuse', 90, 'Assault occasioning actual bodily harm (OAPA 1861 s.47) at the lowest custodial starting point, domestic context: 90 days'),
  ('asb', 1, 'Anti-social behaviour: not an offence in itself, weight 1'),
  ('other', 1, 'Unclassified: weight 1 until a category is known')) AS defaults (category, weight, basis);

-- Incidents already loaded take the live weights.
UPDATE incidents i SET harm_weight = h.weight FROM harm_weights h
 WHERE h.category = i.category AND i.harm_weight IS DISTINCT FROM h.weight;
