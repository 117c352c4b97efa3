// The controlled vocabulary the generated stories and chats are made of: about 300 everyday words a young child
// knows, all lowercase ASCII. Keeping it small is the point: a model of a few thousand parameters can learn it.

export interface Character {
  name: string;
  /** he / she / it */
  subject: string;
  object: string;
  possessive: string;
}

const girl = (name: string): Character => ({ name, subject: 'she', object: 'her', possessive: 'her' });
const boy = (name: string): Character => ({ name, subject: 'he', object: 'him', possessive: 'his' });

export const Children: readonly Character[] = [
  girl('mia'), girl('lily'), girl('anna'), girl('zoe'), girl('emma'), girl('lucy'), girl('ella'), girl('rosa'),
  boy('tom'), boy('ben'), boy('sam'), boy('max'), boy('leo'), boy('jack'), boy('tim'), boy('noah'),
];

/** Animals and the sound each makes (the chat's "what does a cow say?" uses the pairs). */
export const Animals: readonly { name: string; sound: string; home: string }[] = [
  { name: 'cat', sound: 'meow', home: 'house' },
  { name: 'dog', sound: 'woof', home: 'yard' },
  { name: 'bird', sound: 'tweet', home: 'tree' },
  { name: 'duck', sound: 'quack', home: 'pond' },
  { name: 'frog', sound: 'ribbit', home: 'pond' },
  { name: 'cow', sound: 'moo', home: 'farm' },
  { name: 'pig', sound: 'oink', home: 'farm' },
  { name: 'sheep', sound: 'baa', home: 'farm' },
  { name: 'fox', sound: 'yip', home: 'forest' },
  { name: 'owl', sound: 'hoot', home: 'forest' },
  { name: 'bunny', sound: 'squeak', home: 'garden' },
  { name: 'bear', sound: 'growl', home: 'forest' },
  { name: 'mouse', sound: 'squeak', home: 'house' },
];

export const Places = ['park', 'forest', 'garden', 'beach', 'farm', 'river', 'hill', 'yard', 'lake', 'market', 'school', 'pond'] as const;

export const Toys = ['ball', 'kite', 'toy car', 'doll', 'teddy bear', 'boat', 'book', 'drum', 'yo-yo', 'robot', 'train', 'puzzle'] as const;

export const Things = ['hat', 'box', 'shell', 'stone', 'flower', 'leaf', 'key', 'cup', 'sock', 'spoon', 'bell', 'feather'] as const;

export const Foods = ['apple', 'cookie', 'banana', 'cake', 'pear', 'carrot', 'sandwich', 'plum', 'muffin', 'orange'] as const;

export const Colors = ['red', 'blue', 'green', 'yellow', 'pink', 'purple', 'orange', 'white', 'brown', 'black'] as const;

export const Sizes = ['big', 'small', 'little', 'tiny', 'huge'] as const;

export const Looks = ['shiny', 'soft', 'old', 'new', 'pretty', 'funny', 'round'] as const;

export const HidingSpots = ['under the bed', 'behind the door', 'in the grass', 'under a rock', 'behind a tree', 'in a bush', 'under the table', 'near the fence', 'in the sand', 'by the water'] as const;

export const GoodFeelings = ['happy', 'glad', 'proud', 'excited'] as const;
export const BadFeelings = ['sad', 'scared', 'tired', 'lonely', 'upset'] as const;

export const Weather = [
  { day: 'sunny', note: 'the sun was warm' },
  { day: 'rainy', note: 'the rain went drip, drip, drip' },
  { day: 'windy', note: 'the wind blew the leaves around' },
  { day: 'snowy', note: 'the snow was white and cold' },
  { day: 'cloudy', note: 'the sky was gray' },
] as const;

export const Skills = [
  { want: 'ride a bike', did: 'rode the bike' },
  { want: 'swim', did: 'swam across the pool' },
  { want: 'climb a tree', did: 'climbed up the tree' },
  { want: 'fly a kite', did: 'flew the kite high in the sky' },
  { want: 'bake a cake', did: 'baked a cake' },
  { want: 'read a book', did: 'read the whole book' },
  { want: 'jump rope', did: 'jumped ten times' },
  { want: 'tie a shoe', did: 'tied the shoe' },
] as const;

export const Games = ['tag', 'hide and seek', 'catch', 'ball', 'jump rope'] as const;

/** Things whose color everybody knows (chat: "what color is the sky?"). */
export const ColorFacts: readonly { thing: string; color: string }[] = [
  { thing: 'the sky', color: 'blue' },
  { thing: 'grass', color: 'green' },
  { thing: 'the sun', color: 'yellow' },
  { thing: 'snow', color: 'white' },
  { thing: 'a banana', color: 'yellow' },
  { thing: 'an apple', color: 'red' },
  { thing: 'a frog', color: 'green' },
  { thing: 'the night', color: 'black' },
  { thing: 'a carrot', color: 'orange' },
  { thing: 'the sea', color: 'blue' },
];

export const NumberWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'] as const;

/** "a" or "an" before a word. */
export function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** Upper-case nothing: the corpus is lowercase ASCII by design. Joins sentences with single spaces. */
export function sentences(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join(' ');
}
