export default function PickupBadge(props: { pickupAt: string | null }) {
  return <span class="pickup">{props.pickupAt ? new Date(props.pickupAt).toLocaleString() : 'no pickup time'}</span>;
}
