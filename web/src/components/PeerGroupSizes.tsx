// How many peer groups there are by size (GET /api/people/group-sizes): the panel's whole
// view of groups (perturbed), and the analysts' overview beside the map's group list.
import type { PeerGroupSizes } from '@lantern/shared';

export function PeerGroupSizesTable({ sizes }: { sizes: PeerGroupSizes | null }) {
  if (!sizes) return null;
  return (
    <section className="peer-group-sizes" aria-labelledby="peer-group-sizes-title" data-testid="peer-group-sizes">
      <h2 id="peer-group-sizes-title">Peer groups by size</h2>
      <p className="hint">
        Groups of people named together at least twice (the same incident, or the same place of concern within two hours), for these filters.
        {sizes.disclosureControl ? ' Counts perturbed to protect identities.' : ''}
      </p>
      <table className="pack-table">
        <thead><tr><th scope="col">People in the group</th>{sizes.sizes.map((band) => <th key={band.size} scope="col">{band.size}</th>)}</tr></thead>
        <tbody><tr><th scope="row">Groups</th>{sizes.sizes.map((band) => <td key={band.size} className="number">{band.groups.toLocaleString('en-GB')}</td>)}</tr></tbody>
      </table>
    </section>
  );
}
