import type { TRubricDefinition } from "../../../../shared/schemas/observations.js";

/**
 * The rubric as a grid (characteristics × levels) with the observed level of each characteristic
 * marked: what a teacher reads to see where the lesson was and what the next level looks like.
 */
export function MatrixTable({ definition, levels, caption }: { definition: TRubricDefinition; levels: Record<string, string | null>; caption: string }) {
  return (
    <div className="obs-matrix-wrap">
      <table className="obs-matrix">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Characteristic</th>
            {definition.levels.map((l) => (
              <th scope="col" key={l.key}>
                {l.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {definition.dimensions.map((d) => {
            const chosen = levels[d.key] ?? null;
            return (
              <tr key={d.key}>
                <th scope="row">
                  {d.name}
                  {chosen === null ? <span className="obs-matrix__none">Not observed</span> : null}
                </th>
                {definition.levels.map((l, i) => {
                  const isChosen = chosen === l.key;
                  return (
                    <td key={l.key} className={isChosen ? "is-chosen" : undefined} aria-current={isChosen ? "true" : undefined}>
                      {isChosen ? <strong className="obs-matrix__mark">Observed</strong> : null}
                      <span className="obs-matrix__text">{definition.descriptors[d.key]?.[i] ?? ""}</span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "Adaptation" for a level key, or "Not observed". */
export function levelName(definition: TRubricDefinition | undefined, key: string | null): string {
  if (key === null) return "Not observed";
  return definition?.levels.find((l) => l.key === key)?.name ?? key;
}
