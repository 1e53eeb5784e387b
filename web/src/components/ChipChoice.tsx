// One of a few choices as a row of pressed buttons: the filters' data and extent, the map's colours.
/** One of a few choices as pressed buttons (the first the default). */
export function ChipChoice<T extends string | undefined>({ legend, group, choices, value, hint, onChange }: {
  legend: string;
  group: string;
  choices: readonly { value: T; label: string; testId: string }[];
  value: T;
  hint: string;
  onChange(value: T): void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="chips" role="group" aria-label={group}>
        {choices.map((choice) => (
          <button key={choice.testId} type="button" aria-pressed={value === choice.value}
            data-testid={choice.testId} onClick={() => onChange(choice.value)}>
            {choice.label}
          </button>
        ))}
      </div>
      <p className="hint">{hint}</p>
    </fieldset>
  );
}
