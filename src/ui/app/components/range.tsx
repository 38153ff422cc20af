/** The time ranges the list pages offer, as the admin API's `since=` takes them. */
export const RANGES = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
];

export function RangeSelect({
  id,
  value,
  onChange,
  ranges = RANGES,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  ranges?: { value: string; label: string }[];
}) {
  return (
    <span class="field">
      <label for={id}>Range</label>
      <select id={id} value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        {ranges.map((range) => (
          <option key={range.value} value={range.value}>
            {range.label}
          </option>
        ))}
      </select>
    </span>
  );
}
