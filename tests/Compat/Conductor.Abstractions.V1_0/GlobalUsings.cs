extern alias current;

// The frozen files name the contract's mechanism types without a using; they resolve here, to today's assembly.
global using current::Conductor.Abstractions;
