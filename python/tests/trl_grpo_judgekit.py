"""TRL's GRPOTrainer for a few steps on a tiny random Qwen2 built here, rewards from a judgekit
reward server through judgekit_reward_client. Writes every reward call's inputs
and the rewards TRL received, plus the trainer's logged metrics, into <work dir>/result.json (used by
vitest, which checks each reward against judgekit's in-process reward).

usage: python3 trl_grpo_judgekit.py <server url> <work dir> [steps]
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import judgekit_reward_client as jk  # noqa: E402

url, work = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from datasets import Dataset  # noqa: E402
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers  # noqa: E402
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM  # noqa: E402
from trl import GRPOConfig, GRPOTrainer  # noqa: E402

torch.manual_seed(0)
torch.set_num_threads(2)

# A byte-level BPE tokenizer trained here on the judge vocabulary, with ChatML special tokens.
specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
tok = Tokenizer(models.BPE())
tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tok.decoder = decoders.ByteLevel()
corpus = [
    "<think>Answer 1 is more helpful.</think><answer>8</answer><answer>6</answer>",
    "system user assistant Score the two answers to the question from 0 to 10.",
] * 20
tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=300, special_tokens=specials,
                                                   initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
tokenizer.chat_template = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n<think>{% endif %}"
)
config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                     num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                     tie_word_embeddings=True, pad_token_id=tokenizer.pad_token_id,
                     eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id)
model = Qwen2ForCausalLM(config)

questions = ["Give three tips for staying healthy.", "What is the capital of France?"]
# Warm start: a few SFT steps towards well-formed judge answers, so sampled completions mix
# right and wrong verdicts and the rewards differ (a purely random model earns one value).
pairs = [(q, f"Answer 1 is more helpful.</think><answer>{a}</answer><answer>{b}</answer><|im_end|>")
         for q, (x, y) in zip(questions, [(8, 6), (9, 3)]) for a, b in [(x, y), (y, x)]]
texts = [tokenizer.apply_chat_template([{"role": "user", "content": f"Score the two answers to: {q}"}],
                                       tokenize=False, add_generation_prompt=True) + t for q, t in pairs]
batch = tokenizer(texts, return_tensors="pt", padding=True)
labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
for _ in range(int(os.environ.get("JUDGEKIT_TRL_WARMUP_STEPS", "100"))):
    loss = model(**batch, labels=labels).loss
    loss.backward()
    opt.step()
    opt.zero_grad()

rows = [{"prompt": [{"role": "user", "content": f"Score the two answers to: {q}"}], "ground_truth": gt}
        for q, gt in zip(questions, ["8 6", "9 3"])]
dataset = Dataset.from_list(rows * 4)

client = jk.JudgekitRewardClient(url, warn=sys.stderr)
judgekit_reward = client.trl_reward_func()
calls = []


def recorded_reward(prompts, completions, completion_ids=None, **kwargs):
    rewards = judgekit_reward(prompts=prompts, completions=completions, completion_ids=completion_ids, **kwargs)
    calls.append({"prompts": prompts, "completions": completions,
                  "completion_ids": [list(map(int, c)) for c in completion_ids],
                  "ground_truth": kwargs["ground_truth"], "rewards": rewards})
    return rewards


recorded_reward.__name__ = "judgekit"
args = GRPOConfig(output_dir=os.path.join(work, "out"), per_device_train_batch_size=4, num_generations=4,
                  max_completion_length=40, max_steps=steps, learning_rate=1e-3, logging_steps=1,
                  report_to=[], use_cpu=True, seed=0, save_strategy="no", bf16=False, fp16=False,
                  dataloader_num_workers=0, disable_tqdm=True, temperature=1.0)
trainer = GRPOTrainer(model=model, reward_funcs=[recorded_reward], args=args, train_dataset=dataset,
                      processing_class=tokenizer)
trainer.train()
logged = [h for h in trainer.state.log_history if "reward" in h]
with open(os.path.join(work, "result.json"), "w") as f:
    json.dump({"calls": calls, "log_history": logged, "global_step": trainer.state.global_step}, f)
