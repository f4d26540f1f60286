export default function PickupBadge(props: { pickupAt: string | null }) {
  return <span class="badge badge-accent badge-lg font-semibold">{props.pickupAt ? new Date(props.pickupAt).toLocaleString() : 'no pickup time'}</span>;
}
