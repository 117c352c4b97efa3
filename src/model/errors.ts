// The one error type the model reader throws: a stable code for programs, a message for people.

/** Every way a model file (or a legacy trio) can be refused. Codes are stable: tools and tests match on them. */
export type ModelFormatErrorCode =
  | 'truncated' // the file ends before the header or the data it announces
  | 'header_length' // the 8-byte header length is absurd (< 2 or > 16 KiB, docs/format.md)
  | 'header_json' // the header is not UTF-8 strict JSON within the nesting bound, or not a JSON object
  | 'tensor_entry' // a tensor entry lacks dtype/shape/data_offsets or has the wrong types
  | 'dtype_invalid' // a dtype the format does not know, or one not allowed for that tensor
  | 'offsets_out_of_range' // data_offsets outside the data, or begin > end
  | 'offsets_size' // end - begin differs from the shape times the dtype size
  | 'offsets_overlap' // two tensors share bytes
  | 'offsets_gap' // bytes no tensor covers (between tensors or after the last one)
  | 'metadata_missing' // no __metadata__, or no format/config/vocab in it
  | 'metadata_invalid' // __metadata__ is not an object of strings, or config/vocab are not JSON (same rules)
  | 'metadata_unknown' // format is not "picoformer/1"
  | 'config_invalid' // a config key is missing, unknown, or out of range
  | 'vocab_invalid' // vocab entries empty, duplicated, or not one code point for a char tokenizer
  | 'vocab_mismatch' // vocab length differs from vocab_size
  | 'tensor_unknown' // a tensor name the config does not call for
  | 'tensor_missing' // a tensor the config calls for is absent
  | 'shape_mismatch' // a tensor's shape disagrees with the config
  | 'non_finite' // NaN or Inf in weights or scales
  | 'scale_invalid' // a negative int8 row scale
  | 'legacy_invalid'; // a legacy trio that cannot be imported (size, header or config disagree)

export class ModelFormatError extends Error {
  constructor(
    readonly code: ModelFormatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** Throws a ModelFormatError; shorthand that keeps validation code to one line per rule. */
export function fail(code: ModelFormatErrorCode, message: string): never {
  throw new ModelFormatError(code, message);
}
