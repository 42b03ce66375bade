/** The Coachwork mark: two arcs, a coach and a teacher, meeting. */
export function LogoMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--accent, #4f46e5)" />
      <path
        d="M20.5 10.2a7.5 7.5 0 1 0 0 11.6"
        fill="none"
        stroke="#fff"
        strokeWidth="3"
        strokeLinecap="round"
      />
      <circle cx="21.5" cy="16" r="2.2" fill="#fff" />
    </svg>
  );
}
