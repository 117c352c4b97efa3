// How a model row of the Models view reads (src/views/viewModels/modelRow.ts): the zone word starts the label, so a
// narrow side bar never cuts it off, then "default" on a board's default model, then the file's name; the description
// has the model's own name when the file is named otherwise, the parameters, the file size and the peak heap.
//   label "Test on the board · default · story-30k-long-name"   description "story-30k · 30,048 params · 35.9 KB · peak 109 KB"

/** How each zone looks in a tree row: its word, its codicon and its theme colour. */
export const ZoneLooks = {
  Safe: { icon: 'pass', color: 'charts.green' },
  'Test on the board': { icon: 'beaker', color: 'charts.yellow' },
  Danger: { icon: 'warning', color: 'charts.orange' },
  'Does not fit': { icon: 'error', color: 'charts.red' },
};
export const ZoneWords = Object.keys(ZoneLooks);

const Label = new RegExp(`^(${ZoneWords.join('|')})( · default)? · (.+)$`);
const Description = /^(?:([\w.-]+) · )?([\d,]+) params · ([\d.]+ [KM]?B) · peak ([\d.]+) KB$/;

/**
 * What a model row (a row of wb.treeItems) says: { zone, isDefault, name (the file's), model (its own name, when the
 * file is named otherwise), parameters, size, peakKB }; null when the row does not read as a model row with a zone.
 */
export function modelRowFacts(row) {
  const label = Label.exec(row.label);
  const description = Description.exec(row.description);
  if (!label || !description) return null;
  return {
    zone: label[1],
    isDefault: label[2] !== undefined,
    name: label[3],
    model: description[1],
    parameters: Number(description[2].replace(/,/g, '')),
    size: description[3],
    peakKB: Number(description[4]),
  };
}

/** Whether `row` is the model row of the file named `name` (without `.safetensors`). */
export function isModelRow(row, name) {
  return modelRowFacts(row)?.name === name;
}

/** A RegExp for the label of the model row of file `name`, whatever its zone (to find the row in the DOM). */
export function modelRowLabelPattern(name) {
  return new RegExp(`^(${ZoneWords.join('|')})( · default)? · ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
