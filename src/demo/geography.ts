/**
 * Where the demo retailer's customers live: a few European countries with their regions and cities, and the share
 * of customers in each.
 * @module
 */

/** A country with its customer share and cities grouped by region. */
export interface DemoCountry {
  name: string;
  share: number;
  regions: readonly { name: string; cities: readonly string[] }[];
}

/** Countries in the demo data; shares sum to 1. Names carry accents on purpose (UTF-8 in the files). */
export const DEMO_COUNTRIES: readonly DemoCountry[] = [
  {
    name: 'United Kingdom',
    share: 0.55,
    regions: [
      { name: 'England', cities: ['London', 'Manchester', 'Bristol', 'Leeds', 'Norwich'] },
      { name: 'Scotland', cities: ['Edinburgh', 'Glasgow', 'Aberdeen'] },
      { name: 'Wales', cities: ['Cardiff', 'Swansea'] },
      { name: 'Northern Ireland', cities: ['Belfast', 'Derry'] },
    ],
  },
  {
    name: 'Germany',
    share: 0.12,
    regions: [
      { name: 'Bavaria', cities: ['Munich', 'Nuremberg'] },
      { name: 'Berlin', cities: ['Berlin'] },
      { name: 'North Rhine-Westphalia', cities: ['Cologne', 'Düsseldorf'] },
      { name: 'Hamburg', cities: ['Hamburg'] },
    ],
  },
  {
    name: 'France',
    share: 0.1,
    regions: [
      { name: 'Île-de-France', cities: ['Paris', 'Versailles'] },
      { name: 'Auvergne-Rhône-Alpes', cities: ['Lyon', 'Grenoble'] },
      { name: "Provence-Alpes-Côte d'Azur", cities: ['Marseille', 'Nice'] },
    ],
  },
  {
    name: 'Ireland',
    share: 0.08,
    regions: [
      { name: 'Leinster', cities: ['Dublin', 'Kilkenny'] },
      { name: 'Munster', cities: ['Cork', 'Limerick'] },
      { name: 'Connacht', cities: ['Galway'] },
    ],
  },
  {
    name: 'Netherlands',
    share: 0.08,
    regions: [
      { name: 'North Holland', cities: ['Amsterdam', 'Haarlem'] },
      { name: 'South Holland', cities: ['Rotterdam', 'The Hague'] },
      { name: 'Utrecht', cities: ['Utrecht'] },
    ],
  },
  {
    name: 'Spain',
    share: 0.07,
    regions: [
      { name: 'Madrid', cities: ['Madrid'] },
      { name: 'Catalonia', cities: ['Barcelona', 'Girona'] },
      { name: 'Andalusia', cities: ['Seville', 'Málaga'] },
    ],
  },
];
