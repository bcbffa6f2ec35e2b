package dev.daxviz;

public final class Main {
    public static void main(String[] args) {
        System.out.println("DaxViz");
    }
}
